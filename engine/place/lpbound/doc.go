// Package lpbound computes a lower bound on the number of identical hosts a
// set of VMs needs: the configuration LP of Gilmore and Gomory, solved by
// column generation. The master problem is solved in its dual form with
// gonum's simplex (optimize/convex/lp), whose optimum gives the prices of
// the VM types directly; the pricing problem, the most valuable host
// configuration at those prices, is an exact branch-and-bound knapsack over
// the VM types in every dimension. With few VM types the bound is close to
// the optimum, which makes it the yardstick of the placement quality suite
// (engine/place). It knows nothing of clusters, specs or drivers, and is
// not used while planning: only tests and benchmarks import it.
package lpbound
