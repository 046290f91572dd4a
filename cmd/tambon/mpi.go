package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/mpi"
)

// cmdMPI is the analysts' Alkire-Foster calculator over a CSV of people.
func cmdMPI(ctx context.Context, e *env, args []string) error {
	fs := e.flags("mpi", "mpi --input FILE.csv --k K [--weights w1,w2,…] [--cutoffs z1,z2,…] [--dimensions d1,d2,…] [--group COLUMN] [--format json|csv]")
	input := fs.String("input", "", "CSV file: one person per row, one column per indicator (0/1 deprivations, or achievements with --cutoffs)")
	k := fs.String("k", "", "poverty cut-off in weight units (with equal weights: the number of deprivations, e.g. 2 or 1/3); default a third of the total weight")
	weights := fs.String("weights", "", "comma-separated relative weights, one per indicator: fractions like 1/6, or decimals as papers print them (0.1667 is read as 1/6 and said so); default equal")
	cutoffs := fs.String("cutoffs", "", "comma-separated achievement cut-offs; a person is deprived when strictly below")
	dims := fs.String("dimensions", "", "comma-separated dimension of each indicator; default each indicator its own")
	indicators := fs.String("indicators", "", "comma-separated indicator columns; default every column except --group")
	group := fs.String("group", "", "column to decompose by (village, sex, …)")
	format := fs.String("format", "json", "output: json or csv")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *input == "" {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุ --input", "--input is required"))
	}
	opts := mpi.CalcOptions{File: *input, Group: *group, Indicators: splitList(*indicators), Dimensions: splitList(*dims)}
	if *k != "" {
		f, err := mpi.ParseFrac(*k)
		if err != nil {
			return err
		}
		opts.K = f
	}
	for _, w := range splitList(*weights) {
		f, err := mpi.ParseFrac(w)
		if err != nil {
			return err
		}
		opts.Weights = append(opts.Weights, f)
	}
	for _, z := range splitList(*cutoffs) {
		v, err := strconv.ParseFloat(z, 64)
		if err != nil {
			return apperr.New(apperr.Invalid, apperr.Tf("ค่าตัดของ --cutoffs %q ไม่ใช่ตัวเลข", "the --cutoffs value %q is not a number", z))
		}
		opts.Cutoffs = append(opts.Cutoffs, v)
	}
	f, err := os.Open(*input)
	if err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.Tf("เปิดไฟล์ %s ไม่ได้", "cannot open %s", *input))
	}
	defer f.Close()
	rep, err := mpi.Calculate(f, opts)
	if err != nil {
		return err
	}
	// Rounded decimals as papers print them (0.1667) are read as the simple
	// fractions they stand for (1/6): say so, beside the figures.
	for _, sn := range rep.Snapped {
		fmt.Fprintln(e.stderr, "note:", sn.SnapText().String())
	}
	switch *format {
	case "json":
		return rep.WriteJSON(e.stdout)
	case "csv":
		return rep.WriteCSV(e.stdout)
	}
	return apperr.New(apperr.Invalid, apperr.Tf("--format ต้องเป็น json หรือ csv ไม่ใช่ %q", "--format must be json or csv, not %q", *format))
}

func splitList(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}
