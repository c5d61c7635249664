# Reference values for RoganGladenTest: R 4.2.2, epiR 2.0.57.
suppressMessages(library(epiR))
# 1. Se and Sp known: epiR::epi.prev transforms the apparent-prevalence interval (methods "wilson", "c-p").
for (pos in c(23, 40)) for (m in c("wilson", "c-p")) {
  r <- epi.prev(pos = pos, tested = 150, se = 0.96, sp = 0.89, method = m, units = 1, conf.level = 0.95)
  cat(pos, m, sprintf("%.15g", c(r$tp$est, r$tp$lower, r$tp$upper)), "\n")
}
# 2. Se and Sp estimated: Lang & Reiczigel (2014), Prev Vet Med 113:13-22, written out from the paper:
#    add z^2/2 successes and failures to the apparent prevalence, 1 and 1 to Se and Sp, delta-method
#    SE at the adjusted values, shift 2 z^2 (P Se(1-Se)/nSe - (1-P) Sp(1-Sp)/nSp), clip to [0, 1].
lr <- function(x, n, xse, nse, xsp, nsp, level = 0.95) {
  z <- qnorm((1 + level) / 2)
  ap <- x / n; se <- xse / nse; sp <- xsp / nsp
  est <- min(1, max(0, (ap + sp - 1) / (se + sp - 1)))
  n. <- n + z^2; ap. <- (x + z^2 / 2) / n.
  nse. <- nse + 2; se. <- (xse + 1) / nse.
  nsp. <- nsp + 2; sp. <- (xsp + 1) / nsp.
  p. <- (ap. + sp. - 1) / (se. + sp. - 1)
  s. <- sqrt(ap. * (1 - ap.) / n. + se. * (1 - se.) / nse. * p.^2 + sp. * (1 - sp.) / nsp. * (1 - p.)^2) / abs(se. + sp. - 1)
  d <- 2 * z^2 * (p. * se. * (1 - se.) / nse. - (1 - p.) * sp. * (1 - sp.) / nsp.)
  c(est, min(1, max(0, p. + d - z * s.)), min(1, max(0, p. + d + z * s.)))
}
cat("lang-reiczigel", sprintf("%.15g", lr(23, 150, 48, 50, 178, 200)), "\n")
cat("lang-reiczigel low", sprintf("%.15g", lr(3, 400, 18, 20, 390, 400)), "\n")
