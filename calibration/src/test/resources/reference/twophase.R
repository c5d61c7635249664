# Reference values for TwoPhaseTest: R 4.2.2, survey 4.1.1. Run from calibration/src/test/resources:
#   Rscript reference/twophase.R
# Fixtures (reference/twophase_fixture.py): phase 1 stratified SRS with fpc (strata A, B, C); phase 2
# stratified SRS of the phase-1 sample by LLM decision (llm_positive / llm_negative).
#
# Two independent references:
#  1. R survey: svyratio on twophase(..., method = "full") (human-only) and on the phase-1 design
#     (LLM-only). survey has no design object for double sampling with exposure-weighted group shares
#     (its phase-2 calibration calibrates 1/pi2 to phase-1 sample counts and leaves the variance of
#     that calibration, not of the post-stratified ratio), so double sampling, PPI and PPI++ are
#     checked against reference 2 only.
#     survey 4.1.1's Dcheck_multi_subset indexes the phase-1 stratum sample sizes by position in
#     the phase-2 subset rather than by unit, so its phase-1 component is exact only when every
#     phase-1 stratum has the same sample size (balanced.csv); see emulate_survey below.
#  2. A brute-force matrix implementation of the two-phase variance written from Sarndal, Swensson
#     & Wretman (1992), section 9.3: V = V1 + V2 with
#       V1 = sum_{k,l in G} Dcheck1_kl / pi2_kl * (e_k / pi1_k) (e_l / pi1_l)
#       V2 = sum_{k,l in G} Dcheck2_kl * (b_k / (pi1_k pi2_k)) (b_l / (pi1_l pi2_l))
#     Dcheck = 1 - pi_k pi_l / pi_kl (diagonal 1 - pi_k), stratified SRS joint probabilities
#     n(n-1)/(N(N-1)) within a stratum; e the estimator's linearised variable, b its phase-2 part.
#     This also gives PPI (Angelopoulos et al. 2023, Science 382:669, the mean estimator
#     theta_PP = mean_N f - mean_n (f - y), here with design-weighted (Hajek) means and G nested in S)
#     and PPI++ (Angelopoulos, Duchi & Zrnic 2023, theta = mean_n y + lambda (mean_N f - mean_n f),
#     lambda minimising the variance, clipped to [0, 1]).
suppressMessages(library(survey))
p <- function(label, est, se) cat(sprintf("%-44s estimate %.15g  se %.15g\n", label, est, se))

brute <- function(d, w, emulate_survey = FALSE) {
  G <- which(d$ingold)
  pi1 <- d$pi1[G]; N <- d$N[G]; h <- d$stratum[G]; s2 <- d$s2[G]
  n1h <- as.numeric(table(d$stratum)[h])
  if (emulate_survey) n1h <- as.numeric(table(d$stratum)[d$stratum])[seq_along(G)]
  n1g <- as.numeric(table(d$s2)[s2]); n2g <- as.numeric(table(d$s2[G])[s2])
  pi2 <- n2g / n1g
  k <- length(G)
  D1 <- matrix(0, k, k); P2 <- matrix(0, k, k)
  for (a in 1:k) for (b in 1:k) {
    if (a == b) { D1[a, b] <- 1 - pi1[a]; P2[a, b] <- pi2[a] }
    else {
      if (h[a] == h[b]) D1[a, b] <- -(1 - pi1[a]) / (n1h[a] - 1)
      P2[a, b] <- if (s2[a] == s2[b]) n2g[a] * (n2g[a] - 1) / (n1g[a] * (n1g[a] - 1)) else pi2[a] * pi2[b]
    }
  }
  D2 <- 1 - outer(pi2, pi2) / P2; diag(D2) <- 1 - pi2
  V1 <- function(e) { x <- e[G] / pi1; sum(D1 / P2 * outer(x, x)) }
  V2 <- function(b) { x <- b[G] / (pi1 * pi2); sum(D2 * outer(x, x)) }
  B2 <- function(b, c) { x <- b[G] / (pi1 * pi2); z <- c[G] / (pi1 * pi2); sum(D2 * outer(x, z)) }
  y <- ifelse(is.na(d$y), 0, d$y); f <- d$llm; m <- w
  wS <- m / d$pi1; wG <- (m / d$pi1)[G] / pi2
  # human-only
  M2 <- sum(wG); P <- sum(wG * y[G]) / M2
  e <- m * (y - P) / M2
  p(paste(" brute human-only"), P, sqrt(V1(e) + V2(e)))
  # double sampling
  T <- tapply(wS, f, sum); Tt <- sum(T)
  Mg <- tapply(wG, f[G], sum); R <- tapply(wG * y[G], f[G], sum) / Mg
  P <- sum(T / Tt * R)
  gw <- (T / Mg)[as.character(f)]
  e <- gw * m * (y - P) / Tt; b <- gw * m * (y - R[as.character(f)]) / Tt
  p(" brute double-sampling", P, sqrt(V1(e) + V2(b)))
  # PPI (lambda = 1) and PPI++ on Hajek means: theta = ybar_G + lambda (fbar_S - fbar_G), where
  # ybar_G, fbar_G are the gold set's weighted means of y and the LLM call and fbar_S the LLM's mean
  # on S; lambda = 0 is human-only, lambda = 1 is PPI (fbar_S plus the rectifier mean).
  M <- sum(wS); fS <- sum(wS * f) / M
  yG <- sum(wG * y[G]) / M2; fG <- sum(wG * f[G]) / M2
  for (mode in c("ppi", "ppi++")) {
    lambda <- 1
    if (mode == "ppi++") {
      by <- m * (y - yG) / M2; bf <- m * (f - fG) / M2
      lambda <- min(1, max(0, B2(by, bf) / B2(bf, bf)))
    }
    P <- yG + lambda * (fS - fG)
    e <- m * (y - P) / M2; b <- m * ((y - yG) - lambda * (f - fG)) / M2
    p(sprintf(" brute %s (lambda %.15g)", mode, lambda), P, sqrt(V1(e) + V2(b)))
  }
}

for (file in c("twophase/stratified.csv", "twophase/balanced.csv")) {
  cat("==", file, "\n")
  d <- read.csv(file)
  d$ingold <- d$ingold == 1
  d$yy <- ifelse(is.na(d$y), 0, d$y)
  d$one <- 1
  for (exposure in c("m", "one")) {
    d$w <- d[[exposure]]
    d$wy <- d$w * d$yy
    d$wllm <- d$w * d$llm
    cat("-- exposure", exposure, "\n")
    p1 <- svydesign(id = ~id, strata = ~stratum, fpc = ~N, data = d)
    r <- svyratio(~wllm, ~w, p1); p("survey llm-only", coef(r), SE(r))
    tp <- twophase(id = list(~id, ~id), strata = list(~stratum, ~s2), fpc = list(~N, NULL),
                   subset = ~ingold, data = d, method = "full")
    r <- svyratio(~wy, ~w, tp); p("survey human-only (twophase full)", coef(r), SE(r))
    brute(d, d$w)
    if (file == "twophase/stratified.csv" && exposure == "m") {
      cat(" (emulating survey's indexing reproduces its human-only SE:)\n")
      brute(d, d$w, emulate_survey = TRUE)
    }
  }
}
