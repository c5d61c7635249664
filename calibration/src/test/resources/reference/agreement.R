# Krippendorff (2011) section C reliability data: 4 observers x 12 units, NA = missing
kd <- rbind(
  A = c(1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA),
  B = c(1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3),
  C = c(NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA),
  D = c(1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA))
ratings <- t(kd)   # units x raters
gwet <- function(ratings, categ) {
  # Gwet (2008, 2014) multi-rater formulas, as in irrCAC::gwet.ac1.raw / fleiss.kappa.raw (unweighted)
  ratings <- ratings[rowSums(!is.na(ratings)) > 0, , drop = FALSE]
  n <- nrow(ratings); q <- length(categ)
  agree <- sapply(categ, function(k) rowSums(ratings == k, na.rm = TRUE))
  ri <- rowSums(agree)
  keep <- ri >= 2
  pa <- mean(rowSums(agree[keep, , drop = FALSE] * (agree[keep, , drop = FALSE] - 1)) / (ri[keep] * (ri[keep] - 1)))
  pik <- colSums(agree / ri) / n
  pe_f <- sum(pik^2)
  pe_g <- sum(pik * (1 - pik)) / (q - 1)
  c(pa = pa, fleiss = (pa - pe_f) / (1 - pe_f), ac1 = (pa - pe_g) / (1 - pe_g))
}
print(gwet(ratings, 1:5), digits = 15)
# two raters, table-form AC1 check (same data as the Cohen test)
a <- strsplit("aaaaabbbbbccccccaabbcacbaaaaabbbccca", "")[[1]]
b <- strsplit("aaaabbbbbcccccccabbbcaabaaaaabbccccb", "")[[1]]
print(gwet(cbind(a, b), c("a", "b", "c")), digits = 15)
