# speedup.gp - speedup (the baseline's median / the model's median) vs
# workers for the CPU-bound workloads, one panel each. Compute cannot go
# faster than the cores allow: the ideal is C until C reaches the core
# count (the vertical line), flat after it. For mixed, the ideal comes from
# each case's ideal time (the fetches overlap, the compute shares cores).
# The py-* models are measured against py-sequential.
# Reads summary.csv (workers, speedup, ideal_s) and meta.json (cores).
load system(sprintf("dirname '%s'", ARG0)).'/common.gp'

workloads = ''
do for [w in workloads_in(summary)] { if (w ne 'fetch') { workloads = workloads.' '.w } }
nw = words(workloads)
if (nw == 0) { print 'speedup.gp: no compute or mixed cases in '.summary.', nothing to plot'; exit }

row_of(w, m) = strcol('workload') eq w && strcol('model') eq m
ideal_compute(c) = cores > 0 && c > cores ? cores : c

set logscale x 2
set yrange [0:*]
set xlabel 'workers C (log scale)'
set ylabel 'speedup over the baseline (x)'
do for [t in outputs] {
	eval set_output(t, 'speedup', panels_width(nw), 560)
	eval panels(nw, sprintf('Speedup vs workers (%s)', cores > 0 ? sprintf('%d cores', cores) : 'core count unknown'))
	do for [i = 1:nw] {
		w = word(workloads, i)
		models = models_in(summary, w)
		others = ''
		do for [m in models] { if (!is_baseline(m)) { others = others.' '.m } }
		cmax = largest_c(w)
		cmax = cmax > 1 ? cmax : 2
		# mixed: the ideal speedup at each C, from one C model's ideal_s
		ref = ''
		do for [m in others] { if (ref eq '' && !is_py(m) && m ne 'hybrid') { ref = m } }
		base = value_of(w, 'sequential', 1, 'wall_median_s')
		base = base eq '' ? NaN : real(base)
		set xrange [1:cmax]
		set title w.' workload'.work_note(w)
		unset arrow
		unset label
		if (cores > 0) {
			set arrow from cores, graph 0 to cores, graph 1 nohead lw 1.5 dt 3 lc rgb '#888888'
			set label sprintf(' %d cores', cores) at cores, graph 0.97 left tc rgb '#555555'
		}
		eval key_right(i == nw)
		if (w eq 'compute') {
			plot for [m in others] summary \
				using (row_of(w, m) ? column('workers') : NaN):'speedup' \
				with linespoints lw 2 ps 1.2 lc rgb model_color(m) dt model_dt(m) pt model_pt(m) title m, \
			     ideal_compute(x) with lines lw 1.5 dt 2 lc rgb '#000000' title 'ideal: min(C, cores)'
		} else {
			plot for [m in others] summary \
				using (row_of(w, m) ? column('workers') : NaN):'speedup' \
				with linespoints lw 2 ps 1.2 lc rgb model_color(m) dt model_dt(m) pt model_pt(m) title m, \
			     for [m in ref] summary \
				using (row_of(w, m) ? column('workers') : NaN):(base / column('ideal_s')) \
				with lines lw 1.5 dt 2 lc rgb '#000000' title 'ideal'
		}
	}
	unset multiplot
}
