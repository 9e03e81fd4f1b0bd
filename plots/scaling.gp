# scaling.gp - how each model's wall time falls (or not) as the
# concurrency C grows, one panel per workload, on log-log axes where a
# perfect model runs parallel to the dashed ideal line (fetch: ceil(N/C)
# round trips of one delay; compute: the baseline's time / min(C, cores)).
# The baselines ran at C = 1 only: their time is a dotted level line.
# Reads summary.csv (workers, wall_median_s, ideal_s).
load ARG0[1:strlen(ARG0) - strlen('scaling.gp')].'common.gp'

workloads = workloads_in(summary)
nw = words(workloads)
if (nw == 0 || !any_swept) { print 'scaling.gp: only baselines in '.summary.', nothing to plot'; exit }


set logscale x 2
set logscale y 10
set format y '%g'
set errorbars 0
set xlabel 'workers C (log scale)'
set ylabel 'wall time (s, log scale)'
do for [t in outputs] {
	eval set_output(t, 'scaling', panels_width(nw), 560)
	eval panels(nw, 'Wall time vs workers (median of the runs)')
	do for [i = 1:nw] {
		w = word(workloads, i)
		models = models_in(summary, w)
		cmax = largest_c(w)
		others = swept_in(summary, w)
		bases = ''
		do for [m in models] { if (is_baseline(m)) { bases = bases.' '.m } }
		# The ideal of each group. Compute's is drawn for every C (the
		# baseline's time / min(C, cores)); the others' are the ideal_s
		# of the cases (for fetch, one serves both groups), and compute's
		# too when the set has no baseline.
		ideals = ideal_ref(w, 0)
		if (ideals eq '' || w ne 'fetch') { ideals = ideals.' '.ideal_ref(w, 1) }
		base_of(m) = real(wall_at_one(w, m))
		set xrange [1:cmax > 1 ? cmax : 2]
		set title w.' workload'.work_note(w)
		eval key_right(i == nw, nw)
		if (w eq 'compute' && strlen(bases) > 0) {
			plot for [m in others] select(summary, w, m) \
				using 'workers':'wall_median_s' \
				with linespoints lw 2 ps 1.2 lc rgb model_color(m) dt model_dt(m) pt model_pt(m) title m, \
			     for [m in bases] select(summary, w, m) \
				using (1):'wall_median_s':(1):(cmax) \
				with xerrorbars lw 2 dt 3 ps 1.2 lc rgb model_color(m) pt model_pt(m) title (m.' (C = 1)'), \
			     for [m in bases] base_of(m) / ideal_compute(x) \
				with lines lw 1.5 dt 2 + 2 * is_py(m) lc rgb (is_py(m) ? '#a0522d' : '#000000') \
				title (is_py(m) ? 'ideal (py-*)' : 'ideal')
		} else {
			plot for [m in others] select(summary, w, m) \
				using 'workers':'wall_median_s' \
				with linespoints lw 2 ps 1.2 lc rgb model_color(m) dt model_dt(m) pt model_pt(m) title m, \
			     for [m in bases] select(summary, w, m) \
				using (1):'wall_median_s':(1):(cmax) \
				with xerrorbars lw 2 dt 3 ps 1.2 lc rgb model_color(m) pt model_pt(m) title (m.' (C = 1)'), \
			     for [m in ideals] select(summary, w, m) \
				using 'workers':'ideal_s' \
				with lines lw 1.5 dt 2 + 2 * is_py(m) lc rgb (is_py(m) ? '#a0522d' : '#000000') \
				title (is_py(m) ? 'ideal (py-*)' : 'ideal')
		}
	}
	unset multiplot
}
