# scaling.gp - how each model's wall time falls (or not) as the
# concurrency C grows, one panel per workload, on log-log axes where a
# perfect model runs parallel to the dashed ideal line (fetch: ceil(N/C)
# round trips of one delay; compute: the baseline's time / min(C, cores)).
# The baselines ran at C = 1 only: their time is a dotted level line.
# Reads summary.csv (workers, wall_median_s, ideal_s).
load system(sprintf("dirname '%s'", ARG0)).'/common.gp'

workloads = workloads_in(summary)
nw = words(workloads)
if (nw == 0) { print 'scaling.gp: no cases in '.summary.', nothing to plot'; exit }

row_of(w, m) = strcol('workload') eq w && strcol('model') eq m

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
		cmax = cmax > 1 ? cmax : 2
		# The ideal of each group, read from one of its models
		# (not hybrid: its own compute pool changes its ideal).
		bases = ''
		others = ''
		do for [m in models] { if (is_baseline(m)) { bases = bases.' '.m } else { others = others.' '.m } }
		ideals = ''
		do for [py = 0:1] {
			found = (py == 1 && w eq 'fetch') # fetch: one ideal for all
			do for [m in others] {
				if (!found && is_py(m) == py && m ne 'hybrid') {
					ideals = ideals.' '.m
					found = 1
				}
			}
		}
		set xrange [1:cmax]
		set title w.' workload'.work_note(w)
		eval key_right(i == nw)
		plot for [m in others] summary \
			using (row_of(w, m) ? column('workers') : NaN):'wall_median_s' \
			with linespoints lw 2 ps 1.2 lc rgb model_color(m) dt model_dt(m) pt model_pt(m) title m, \
		     for [m in bases] summary \
			using (row_of(w, m) ? 1 : NaN):'wall_median_s':(1):(cmax) \
			with xerrorbars lw 2 dt 3 ps 1.2 lc rgb model_color(m) pt model_pt(m) title (m.' (C = 1)'), \
		     for [m in ideals] summary \
			using (row_of(w, m) ? column('workers') : NaN):'ideal_s' \
			with lines lw 1.5 dt 2 + 2 * is_py(m) lc rgb (is_py(m) ? '#a0522d' : '#000000') \
			title (is_py(m) ? 'ideal (py-*)' : 'ideal')
	}
	unset multiplot
}
