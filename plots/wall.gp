# wall.gp - wall time per model, one panel per workload, at the largest
# concurrency C of the sweep (the baselines at C = 1): the bar is the
# median of the repetitions, the error bar spans the fastest and the
# slowest run, so a bar whose error bar is long is a noisy measurement.
# Reads summary.csv (wall_median_s, wall_min_s, wall_max_s).
load ARG0[1:strlen(ARG0) - strlen('wall.gp')].'common.gp'

workloads = workloads_in(summary)
nw = words(workloads)
if (nw == 0) { print 'wall.gp: no cases in '.summary.', nothing to plot'; exit }

# Is this row at the largest C (the baselines ran at C = 1 only)?
at_largest(m, cmax) = column('workers') == cmax || is_baseline(m)

set errorbars lc rgb '#111111' lw 1.5
set yrange [0:*]
set ylabel 'wall time (s)'
set xtics rotate by -35 left nomirror
set key off
do for [t in outputs] {
	eval set_output(t, 'wall', 100 + 380 * nw, 560)
	if (t eq 'dumb') { set terminal dumb size 120, 1 + 15 * nw }
	if (t eq 'dumb') { set multiplot layout nw, 1 } else { set multiplot layout 1, nw \
		title 'Wall time per model (median of the runs; error bar: fastest to slowest run)' }
	do for [w in workloads] {
		models = models_in(summary, w)
		n = words(models)
		cmax = largest_c(w)
		tics = ''
		do for [j = 1:n] { m = word(models, j); \
			tics = tics.sprintf('%s"%s" %d', j > 1 ? ', ' : '', t eq 'dumb' ? short_name(m) : m, j) }
		eval 'set xtics ('.tics.')'
		set xrange [0.4:n + 0.6]
		set title sprintf("%s workload, C = %d (baselines: 1)%s", w, cmax, work_note(w))
		plot for [j = 1:n] select(summary, w, word(models, j)) using \
			(at_largest(word(models, j), cmax) ? j : NaN):'wall_median_s':'wall_min_s':'wall_max_s':(0.7) \
			with boxerrorbars lc rgb model_color(word(models, j)) title word(models, j)
	}
	unset multiplot
}
