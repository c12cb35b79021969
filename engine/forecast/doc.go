// Package forecast predicts a VM's utilization for the next hours from its
// history, simply enough to explain in one sentence: the forecast for an
// hour of the week is an exponentially weighted percentile of the samples
// taken in that hour of past weeks, the newest weeks weighing most.
//
// Samples fall into the 168 hours of the week (Monday 00:00 UTC is hour
// 0). A sample of age a (the time from it to the newest sample) weighs
// 2^(−a ÷ half-life). The forecast of hour h is the smallest value v such
// that the samples of h that are ≤ v hold at least the percentile's share
// of h's total weight (the weighted percentile, no interpolation). An hour
// with no samples falls back to the same hour of the day on every day,
// then to all samples. The forecast over a horizon is the highest hourly
// forecast in it: rebalance asks "how busy will this VM be at its busiest
// in the next hours".
//
// It must not know about hosts, plans or drivers: it turns samples into
// numbers, per dimension, and nothing else.
package forecast
