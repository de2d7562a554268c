module github.com/scc-dev/scc

go 1.26.8
