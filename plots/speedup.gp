# speedup.gp - speedup (the baseline's median / the model's median) vs
# workers for the CPU-bound workloads, one panel each. Compute cannot go
# faster than the cores allow: the ideal is C until C reaches the core
# count (the vertical line), flat after it. For mixed, the ideal comes from
# each case's ideal time (the fetches overlap, the compute shares cores).
# The py-* models are measured against py-sequential.
# Reads summary.csv (workers, speedup, ideal_s) and meta.json (cores);
# amdahl.csv, when the set has one (lesson 15 writes it: workload, model,
# serial_fraction), adds Amdahl's curve fitted to the measured speedups:
# 1 / (s + (1 - s) / min(C, cores)).
load ARG0[1:strlen(ARG0) - strlen('speedup.gp')].'common.gp'

amdahl = dir.'/amdahl.csv'
# amdahl_s(w): the fitted serial fraction of w ('' if none), from plan.gp.
amdahl_curve(x, s) = 1 / (s + (1 - s) / ideal_compute(x))

# A speedup is over a baseline: a workload run without one (--baseline
# none, as lessons 12 to 14 do) has no speedup column to draw.
has_baseline(w) = wall_at_one(w, 'sequential') ne '' || wall_at_one(w, 'py-sequential') ne ''
workloads = ''
do for [w in workloads_in(summary)] { if (w ne 'fetch' && has_baseline(w)) { workloads = workloads.' '.w } }
nw = words(workloads)
if (nw == 0 || !any_swept) { print 'speedup.gp: no compute or mixed cases with a baseline and several C in '.summary.', nothing to plot'; exit }


set logscale x 2
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0 # room above the ideal line
set xlabel 'workers C (log scale)'
set ylabel 'speedup over the baseline (x)'
do for [t in outputs] {
	eval set_output(t, 'speedup', panels_width(nw), 560)
	eval panels(nw, sprintf('Speedup vs workers (%s)', cores > 0 ? sprintf('%d cores', cores) : 'core count unknown'))
	do for [i = 1:nw] {
		w = word(workloads, i)
		# only the models with a case whose results were right: a wrong
		# case's speedup is left empty (plot_stage.c), it is not measured
		others = summary_right(w)
		cmax = largest_c(w)
		# mixed: the ideal speedup at each C is the baseline's time over
		# the ideal time of the case.
		ideals = ideal_ref(w, 0).' '.ideal_ref(w, 1)
		base_c = wall_at_one(w, 'sequential')
		base_py = wall_at_one(w, 'py-sequential')
		base_of(m) = real(is_py(m) ? base_py : base_c)
		set xrange [1:cmax > 1 ? cmax : 2]
		set title w.' workload'.work_note(w)
		unset arrow
		unset label
		if (cores > 0) {
			set arrow from cores, graph 0 to cores, graph 1 nohead lw 1.5 dt 3 lc rgb '#888888'
			set label sprintf(' %d cores', cores) at cores, graph 0.97 left tc rgb '#555555'
		}
		eval key_right(i == nw, nw)
		if (others eq '') {
			# every case of this workload was wrong: nothing to draw
			set label 'no case with right results: nothing to draw' at graph 0.5, graph 0.5 center tc rgb '#c0392b'
			set yrange [0:1]
			plot NaN notitle
			set yrange [0:*]
		} else { if (w eq 'compute') {
			fit_text = amdahl_s(w)
			has_fit = strlen(fit_text) > 0
			sf = has_fit ? real(fit_text) : 0
			plot for [m in others] select(summary, w, m) \
				using 'workers':'speedup' \
				with linespoints lw 2 ps 1.2 lc rgb model_color(m) dt model_dt(m) pt model_pt(m) title m, \
			     ideal_compute(x) with lines lw 1.5 dt 2 lc rgb '#000000' title 'ideal: min(C, cores)', \
			     (has_fit ? amdahl_curve(x, sf) : NaN) with lines lw 1.5 dt 4 lc rgb '#c0392b' \
				title (has_fit ? sprintf('Amdahl fit, s = %.3f', sf) : '')
		} else {
			plot for [m in others] select(summary, w, m) \
				using 'workers':'speedup' \
				with linespoints lw 2 ps 1.2 lc rgb model_color(m) dt model_dt(m) pt model_pt(m) title m, \
			     for [m in ideals] select(summary, w, m) \
				using 'workers':(base_of(m) / column('ideal_s')) \
				with lines lw 1.5 dt 2 + 2 * is_py(m) lc rgb (is_py(m) ? '#a0522d' : '#000000') \
				title (is_py(m) ? 'ideal (py-*)' : 'ideal')
		} }
	}
	unset multiplot
}
