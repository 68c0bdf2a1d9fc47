## bench/local.mk - the benchmarks (not tests: they never fail the suite).
## 'make bench' and './quickstart bench' run bench/run; see bench/README.
