#!/usr/bin/python3
"""Prototype behind docs/calibration.md "Heavy-tailed exposure: review by weight class".

Phase 1 (priority sampling, as fixtures/demo/run.yaml) and phase 2 (plain stratified review, or
weight classes with allocation ∝ N_h^(1-a) W_h^a) redrawn on the demo population with the truth as
gold; prints SD, mean SE and Korn–Graubard / Wald / logit coverage of the human-only estimator.

  ./plumb run fixtures/demo/run.yaml            # writes out/demo (units, scores, truth, sample, labels)
  /usr/bin/python3 weight_classes_sim.py out/demo 500 0,4 0.5    # K = 0: plain review
"""
import json, sys
import numpy as np
from scipy import stats

D = sys.argv[1].rstrip('/') + '/'
pols = ['adult_sexual', 'harassment', 'misinformation', 'self_harm']
units = {}
for l in open(D + 'scored.jsonl'):
    o = json.loads(l); units[o['id']] = (o.get('weight', 1), o['scores'])
ids = sorted(units); idx = {u: i for i, u in enumerate(ids)}; N = len(ids)
m = np.array([units[u][0] for u in ids], float)
S = {p: np.array([units[u][1][p] for u in ids]) for p in pols}
Y = {p: np.zeros(N) for p in pols}
for l in open(D + 'logs/truth.jsonl'):
    o = json.loads(l)
    if o['unit'] in idx and o['positive']: Y[o['policy']][idx[o['unit']]] = 1
size=m*np.max([np.maximum(S[p],0.05) for p in pols],axis=0)
llm={p:(S[p]>=0.5).astype(float) for p in pols}
anypos=np.max([llm[p] for p in pols],axis=0)>0
P={p:(m*Y[p]).sum()/m.sum() for p in pols}
def priority(rng,n=2000):
    q=size/rng.random(N); o=np.argsort(-q); tau=q[o[n]]; s=o[:n]
    return s, np.minimum(1,size[s]/tau)
def alloc(w,n,K,a=None):
    a=A if a is None else a
    # w: weights of the stratum's units; returns class per unit, n per class
    Nn=len(w)
    if n>=Nn: return np.zeros(Nn,int), np.array([Nn])
    o=np.argsort(w,kind='stable'); W=w.sum(); c=np.cumsum(w[o])-w[o]/2
    cls=np.zeros(Nn,int); cls[o]=np.minimum(K-1,np.floor(K*c/W)).astype(int) if W>0 else 0
    ids=np.unique(cls); remap={k:i for i,k in enumerate(ids)}; cls=np.array([remap[k] for k in cls])
    H=len(ids); Nh=np.bincount(cls,minlength=H); Wh=np.bincount(cls,weights=w,minlength=H); Wh=Nh**(1-a)*Wh**a
    base=np.minimum(2,Nh); assert base.sum()<=n
    share=base.astype(float); free=np.ones(H,bool); rem=n-base.sum()
    while True:
        tot=Wh[free].sum(); sh=base.copy().astype(float)
        sh[free]+= (rem - (Nh[~free]-base[~free]).sum())*Wh[free]/tot if tot>0 else 0
        sh[~free]=Nh[~free]
        over=free&(sh>=Nh)
        if not over.any(): break
        free&=~over
    nh=np.floor(sh).astype(int); left=n-nh.sum(); frac=sh-nh; frac[nh>=Nh]=-1
    for k in np.argsort(-frac,kind='stable')[:left]: nh[k]+=1
    return cls, nh
def phase2(rng,s,pi1,K,npos=300,nneg=600):
    w=m[s]/pi1; pos=anypos[s]
    strat=np.zeros(len(s),int); pi2=np.zeros(len(s)); g=np.zeros(len(s),bool)
    nxt=0
    for flag,n in ((True,npos),(False,nneg)):
        ix=np.where(pos==flag)[0]
        if K: cls,nh=alloc(w[ix],n,K)
        else: cls,nh=np.zeros(len(ix),int),np.array([min(n,len(ix))])
        for h in range(len(nh)):
            jj=ix[cls==h]; u=rng.random(len(jj)); take=jj[np.argsort(u)[:nh[h]]]
            g[take]=True; pi2[jj]=nh[h]/len(jj); strat[jj]=nxt; nxt+=1
    return g,pi2,strat
def human(s,pi1,g,pi2,strat,y):
    d1=1/pi1; mm=m[s]; wt=mm*d1/pi2
    G=np.where(g)[0]; sw=wt[G].sum(); p=(wt[G]*y[G]).sum()/sw
    e=mm*(y-p)/sw
    v1=((1-pi1[G])*(d1[G]*e[G])**2/pi2[G]).sum()
    v2=0; x=d1*e
    for h in np.unique(strat[G]):
        jj=G[strat[G]==h]; n2=len(jj); n1=n2/pi2[jj[0]]
        if n2<2 or n1-n2<1e-9: continue
        v2+=n1*n1*(1-n2/n1)*x[jj].var(ddof=1)/n2
    return p, v1+v2, len(G), int(y[G].sum()), len(np.unique(strat[G]))
def cis(p,v,n,df,lvl=0.95):
    a=1-lvl; se=np.sqrt(v); zq=stats.norm.ppf(1-a/2); out={}
    out['wald']=(p-zq*se,p+zq*se)
    t=stats.t.ppf(1-a/2,df); h=t*se/(p*(1-p)); L=np.log(p/(1-p)); out['logit']=(1/(1+np.exp(-(L-h))),1/(1+np.exp(-(L+h))))
    ne=p*(1-p)/v*(stats.t.ppf(a/2,n-1)/stats.t.ppf(a/2,df))**2; x=p*ne
    lo=stats.beta.ppf(a/2,x,ne-x+1) if x>0 else 0; hi=stats.beta.ppf(1-a/2,x+1,ne-x)
    out['kg']=(lo,hi)
    return out
if __name__=='__main__':
    R=int(sys.argv[2]); Ks=[int(k) for k in sys.argv[3].split(",")]; A=float(sys.argv[4])
    rng=np.random.default_rng(1)
    res={}
    for r in range(R):
        s,pi1=priority(rng)
        for K in Ks:
            g,pi2,strat=phase2(rng,s,pi1,K)
            for p in pols:
                est,v,n,pos,ns=human(s,pi1,g,pi2,strat,Y[p][s])
                key=(K,p); d=res.setdefault(key,{'est':[],'se':[],'cov':{}})
                d['est'].append(est); d['se'].append(np.sqrt(v))
                if pos==0: 
                    for k in ('wald','logit','kg'): d['cov'].setdefault(k,[]).append(np.nan)
                    continue
                for k,(lo,hi) in cis(est,v,n,n-ns).items(): d['cov'].setdefault(k,[]).append(lo<=P[p]<=hi)
    for (K,p),d in sorted(res.items()):
        est=np.array(d['est']); se=np.array(d['se'])
        print('K=%d %-15s P=%.5f mean=%.5f sd=%.5f meanSE=%.5f '%(K,p,P[p],est.mean(),est.std(),se.mean()) +
              ' '.join('%s=%.3f'%(k,np.nanmean(np.array(c,float))) for k,c in d['cov'].items()))
