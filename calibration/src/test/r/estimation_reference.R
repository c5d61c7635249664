# Reference values for dev.plumb.calibration.estimate.EstimatorRTest.
# Run: Rscript calibration/src/test/r/estimation_reference.R   (R 4.2.2, survey 4.1.1)
# Prints the data of each sample and R survey's estimates as Java source; the test carries the output.
suppressMessages(library(survey))
suppressWarnings({
g <- function(x) sprintf("%.17g", x)

emit_data <- function(name, df, wr = FALSE) {
  cat(sprintf("  // %s: id, m, y, surface, stratum, %s\n", name, if (wr) "p, draws" else "pi"))
  cat(sprintf("  static final String %s_DATA = \"\"\"\n", name))
  for (i in seq_len(nrow(df))) {
    r <- df[i, ]
    if (wr) cat(sprintf("      %s,%s,%d,%s,%s,%s,%d\n", r$id, g(r$m), r$y, r$surface, r$stratum, g(r$p), r$draws))
    else cat(sprintf("      %s,%s,%d,%s,%s,%s\n", r$id, g(r$m), r$y, r$surface, r$stratum, g(r$pi)))
  }
  cat("      \"\"\";\n")
}

# ratio design (weights 1/pi) for svyratio and the exposure-weighted design (weights m/pi) for svyciprop
emit_results <- function(name, d_ratio, d_prop) {
  r <- svyratio(~I(m * y), ~m, d_ratio)
  b <- svyciprop(~y, d_prop, method = "beta")
  l <- svyciprop(~y, d_prop, method = "logit")
  # the exposure-weighted mean is the same estimator as the ratio: same estimate and SE
  m <- svymean(~y, d_prop)
  stopifnot(isTRUE(all.equal(c(coef(m), SE(m)), c(coef(r), SE(r)), tolerance = 1e-12, check.attributes = FALSE)))
  cat(sprintf("  // %s overall: estimate, SE (svyratio), beta lower, upper, logit lower, upper, degf\n", name))
  cat(sprintf("  static final double[] %s_ALL = {%s, %s, %s, %s, %s, %s, %d};\n", name,
              g(coef(r)), g(SE(r)), g(attr(b, "ci")[1]), g(attr(b, "ci")[2]),
              g(attr(l, "ci")[1]), g(attr(l, "ci")[2]), degf(d_prop)))
  by_r <- svyby(~I(m * y), ~surface, denominator = ~m, design = d_ratio, svyratio)
  by_b <- svyby(~y, ~surface, d_prop, svyciprop, method = "beta", vartype = "ci")
  by_l <- svyby(~y, ~surface, d_prop, svyciprop, method = "logit", vartype = "ci")
  cat(sprintf("  // %s by surface: value, estimate, SE, beta lower, upper, logit lower, upper\n", name))
  cat(sprintf("  static final String %s_BY_SURFACE = \"\"\"\n", name))
  for (k in seq_len(nrow(by_r))) {
    cat(sprintf("      %s,%s,%s,%s,%s,%s,%s\n", by_r$surface[k], g(by_r[k, 2]), g(by_r[k, 3]),
                g(by_b$ci_l[k]), g(by_b$ci_u[k]), g(by_l$ci_l[k]), g(by_l$ci_u[k])))
  }
  cat("      \"\"\";\n")
}

surfaces <- c("search", "home", "video")

# A: SRS without replacement, N = 400, n = 30
set.seed(11)
N <- 400; n <- 30
A <- data.frame(id = sprintf("a%02d", 1:n), m = sample(1:60, n, TRUE), y = rbinom(n, 1, 0.2),
                surface = sample(surfaces, n, TRUE), stratum = "all", pi = n / N, N = N)
emit_data("SRS", A)
emit_results("SRS", svydesign(ids = ~1, fpc = ~N, data = A),
             svydesign(ids = ~1, fpc = ~N, weights = ~I(m / pi), data = A))

# B: stratified without replacement: N_h = 500, 120, 40; n_h = 12, 10, 8
set.seed(12)
Nh <- c(s1 = 500, s2 = 120, s3 = 40); nh <- c(s1 = 12, s2 = 10, s3 = 8); ph <- c(s1 = 0.05, s2 = 0.2, s3 = 0.5)
B <- do.call(rbind, lapply(names(Nh), function(h) data.frame(
  stratum = h, m = sample(1:50, nh[[h]], TRUE), y = rbinom(nh[[h]], 1, ph[[h]]),
  surface = sample(surfaces, nh[[h]], TRUE), pi = nh[[h]] / Nh[[h]], N = Nh[[h]])))
B$id <- sprintf("b%02d", seq_len(nrow(B)))
emit_data("STRATIFIED", B)
emit_results("STRATIFIED", svydesign(ids = ~1, strata = ~stratum, fpc = ~N, data = B),
             svydesign(ids = ~1, strata = ~stratum, fpc = ~N, weights = ~I(m / pi), data = B))

# C: Poisson sampling from 300 units, pi = min(1, c * size) with a few certainty units
set.seed(13)
size <- rlnorm(300, 0, 1.2); score <- runif(300)
pic <- pmin(1, 25 * size * (0.1 + score) / sum(size * (0.1 + score)))
take <- runif(300) < pic
C <- data.frame(pi = pic[take], m = round(size[take] * 10) + 1, y = rbinom(sum(take), 1, 0.1 + 0.5 * score[take]),
                surface = sample(surfaces, sum(take), TRUE), stratum = "all")
C$id <- sprintf("c%02d", seq_len(nrow(C)))
emit_data("POISSON", C)
emit_results("POISSON", svydesign(ids = ~1, probs = ~pi, pps = poisson_sampling(C$pi), data = C),
             svydesign(ids = ~1, probs = ~I(pi / m), pps = poisson_sampling(C$pi), data = C))

# D: stratified PPS with replacement: 20 and 12 draws, p proportional to size within each stratum;
# R sees one row per draw (svydesign(probs = n_h p) without fpc); the test compresses repeats into draws
set.seed(14)
D_rows <- do.call(rbind, lapply(list(list("w1", 150, 20), list("w2", 80, 12)), function(s) {
  size <- rlnorm(s[[2]], 0, 1.5); p <- size / sum(size)
  k <- sample(seq_len(s[[2]]), s[[3]], TRUE, prob = p)
  yy <- rbinom(s[[2]], 1, 0.15); mm <- sample(1:30, s[[2]], TRUE); sf <- sample(surfaces, s[[2]], TRUE)
  data.frame(unit = paste0(s[[1]], "-", k), stratum = s[[1]], p = p[k], m = mm[k], y = yy[k], surface = sf[k], nh = s[[3]])
}))
D_rows$draws <- 1
D <- aggregate(draws ~ unit + stratum + p + m + y + surface, data = D_rows, FUN = sum)
D <- D[order(D$stratum, D$unit), ]
D$id <- D$unit
emit_data("PPSWR", D, wr = TRUE)
emit_results("PPSWR", svydesign(ids = ~1, strata = ~stratum, probs = ~I(nh * p), data = D_rows),
             svydesign(ids = ~1, strata = ~stratum, probs = ~I(nh * p / m), data = D_rows))

# E: stratified with a stratum of one sampled unit (lonely PSU, "adjust") and a census stratum
options(survey.lonely.psu = "adjust")
set.seed(15)
Nh <- c(e1 = 200, e2 = 30, e3 = 6); nh <- c(e1 = 9, e2 = 1, e3 = 6)
E <- do.call(rbind, lapply(names(Nh), function(h) data.frame(
  stratum = h, m = sample(1:20, nh[[h]], TRUE), y = rbinom(nh[[h]], 1, 0.3),
  surface = sample(surfaces[1:2], nh[[h]], TRUE), pi = nh[[h]] / Nh[[h]], N = Nh[[h]])))
E$id <- sprintf("e%02d", seq_len(nrow(E)))
emit_data("LONELY", E)
emit_results("LONELY", svydesign(ids = ~1, strata = ~stratum, fpc = ~N, data = E),
             svydesign(ids = ~1, strata = ~stratum, fpc = ~N, weights = ~I(m / pi), data = E))
options(survey.lonely.psu = "fail")

# F: priority sampling of k = 20 from 250 units: priority q = size/u, tau = the 21st largest q,
# pi~ = min(1, size/tau); R's Poisson design with pi~ gives the Poisson-form variance
set.seed(16)
size <- rlnorm(250, 0, 1); q <- size / runif(250)
ord <- order(q, decreasing = TRUE); tau <- q[ord[21]]; sel <- ord[1:20]
F <- data.frame(pi = pmin(1, size[sel] / tau), m = round(size[sel] * 5) + 1, y = rbinom(20, 1, 0.25),
                surface = sample(surfaces, 20, TRUE), stratum = "all")
F$id <- sprintf("f%02d", seq_len(nrow(F)))
emit_data("PRIORITY", F)
emit_results("PRIORITY", svydesign(ids = ~1, probs = ~pi, pps = poisson_sampling(F$pi), data = F),
             svydesign(ids = ~1, probs = ~I(pi / m), pps = poisson_sampling(F$pi), data = F))
})
