package athena

// PricePerTB is Athena's price for SQL queries, in US dollars per terabyte scanned (AWS, "Amazon
// Athena pricing", https://aws.amazon.com/athena/pricing/: "$5.00 per TB of data scanned"; bytes
// "rounded up to the nearest megabyte, with a 10 MB minimum per query").
const PricePerTB = 5.0

// Cost is what a query that scanned bytes (its Statistics.DataScannedInBytes) costs, in US dollars:
// bytes rounded up to the megabyte, at least 10 MB, at PricePerTB (terabytes of 10^12 bytes, the
// unit the pricing page quotes; a query that failed is not charged, which the caller knows).
func Cost(bytes int64) float64 {
	const mb = 1 << 20
	mbs := (bytes + mb - 1) / mb
	mbs = max(mbs, 10)
	return float64(mbs*mb) / 1e12 * PricePerTB
}
