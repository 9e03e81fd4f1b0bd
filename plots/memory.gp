# memory.gp - peak memory (PSS of the whole process tree, MiB) vs workers,
# one panel per workload: threads share one address space, so their peak
# barely grows with C; every process has its own pages too, so a model of
# processes (C or Python) grows with each worker, by what the worker does
# not share. The baselines ran at C = 1 only (dotted level).
# Reads summary.csv (peak_pss_kib: the median of the runs' peaks; how a
# peak is measured is in results/README.md).
load ARG0[1:strlen(ARG0) - strlen('memory.gp')].'common.gp'

workloads = workloads_in(summary)
nw = words(workloads)
if (nw == 0 || !any_swept) { print 'memory.gp: only baselines in '.summary.', nothing to plot'; exit }

# A case without a PSS (0: not measured) is left out, not drawn at 0.
mib(kib) = kib > 0 ? kib / 1024.0 : NaN

set logscale x 2
set logscale y 10
set format y '%g'
set errorbars 0
set xlabel 'workers C (log scale)'
set ylabel 'peak memory (MiB, log scale)'
do for [t in outputs] {
	eval set_output(t, 'memory', panels_width(nw), 560)
	eval panels(nw, 'Peak memory (PSS of the process tree) vs workers')
	do for [i = 1:nw] {
		w = word(workloads, i)
		models = models_in(summary, w)
		others = swept_in(summary, w)
		bases = ''
		do for [m in models] { if (is_baseline(m)) { bases = bases.' '.m } }
		cmax = largest_c(w)
		cmax = cmax > 1 ? cmax : 2
		set xrange [1:cmax]
		set title w.' workload'
		eval key_right(i == nw, nw)
		plot for [m in others] select(summary, w, m) \
			using 'workers':(mib(column('peak_pss_kib'))) \
			with linespoints lw 2 ps 1.2 lc rgb model_color(m) dt model_dt(m) pt model_pt(m) title m, \
		     for [m in bases] select(summary, w, m) \
			using (1):(mib(column('peak_pss_kib'))):(1):(cmax) \
			with xerrorbars lw 2 dt 3 ps 1.2 lc rgb model_color(m) pt model_pt(m) title (m.' (C = 1)')
	}
	unset multiplot
}
