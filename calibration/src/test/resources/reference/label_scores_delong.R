# DeLong interval of the unweighted ROC-AUC of the label_scores.py fixture.
# Run: Rscript calibration/src/test/resources/reference/label_scores_delong.R (pROC 1.18.0)
suppressMessages(library(pROC))
i <- 0:59
s <- ((i * 37) %% 101) / 100
s[8] <- s[9]                                 # Python's s[7] = s[8]
y <- as.numeric(((i * 13) %% 7) < 1 + 5 * s)
r <- roc(y, s, direction = "<", levels = c(0, 1), quiet = TRUE)
v <- var(r, method = "delong")
print(sprintf("%.17g", c(auc(r), sqrt(v), ci.auc(r, method = "delong"))))
