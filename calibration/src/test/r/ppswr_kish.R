# Kish's effective sample size of a PPS-with-replacement sample, one row per draw (R survey).
# Rscript calibration/src/test/r/ppswr_kish.R   (R 4.2.2, survey 4.1.1)
library(survey)
i <- 0:99
m <- 1 + i %% 5                       # exposure
p <- 1 + i %% 4; p <- p / sum(p)      # per-draw selection probabilities
draws <- ifelse(i < 50, 1, 3)         # 200 draws of 100 distinct units
rows <- data.frame(id = rep(i, draws), m = rep(m, draws), p = rep(p, draws), y = 0)
# the d_prop design of estimation_reference.R: weights m/(n p) per draw
d <- svydesign(ids = ~1, probs = ~I(200 * p / m), data = rows)
w <- weights(d)
kish <- sum(w)^2 / sum(w^2)
cat(sprintf("rows %d kish %.17g upper %.17g\n", nrow(d), kish, 1 - 0.05^(1 / kish)))
# equal p and exposure: every draw weighs the same, so n_eff is the number of draws
d1 <- svydesign(ids = ~1, probs = ~I(rep(200 / 100, 200)), data = rows)
w1 <- weights(d1)
cat(sprintf("equal: kish %.17g upper %.17g\n", sum(w1)^2 / sum(w1^2), 1 - 0.05^(1 / (sum(w1)^2 / sum(w1^2)))))
