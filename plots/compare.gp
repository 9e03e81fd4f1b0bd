# compare.gp - two result sets side by side (`concur plot --compare A B`):
# per workload, each model's wall time at the largest C in set A (hatched)
# and set B (solid), with the min-max error bars of each, so a difference
# can be judged against the noise. Writes B/compare.png and B/compare.svg.
# Inputs: dir (set B, where the pictures go), dir_a (set A), term.
load ARG0[1:strlen(ARG0) - strlen('compare.gp')].'common.gp'

summary_b = summary
summary_a = dir_a.'/summary.csv'
# The sets' names, given by concur (plain characters only).
if (!exists("name_a")) name_a = 'A'
if (!exists("name_b")) name_b = 'B'
base(path) = path eq dir_a ? name_a : name_b
workloads = workloads_in(summary_b)
nw = words(workloads)
if (nw == 0) { print 'compare.gp: no cases in '.summary_b.', nothing to plot'; exit }

# The largest C of workload w in a summary file (set A's plan.gp names
# its facts a_...).
load dir_a.'/plan.gp'
largest_in(file, w) = file eq summary_a ? a_largest_c(w) : largest_c(w)
at_largest(m, cmax) = column('workers') == cmax || is_baseline(m)

set errorbars lc rgb '#111111' lw 1.5
set yrange [0:*]
set ylabel 'wall time (s)'
set xtics rotate by -35 left nomirror
do for [t in outputs] {
	eval set_output(t, 'compare', panels_width(nw), 560)
	eval panels(nw, sprintf('Wall time at the largest C, set A: %s (hatched) vs set B: %s (solid)', base(dir_a), base(dir)))
	do for [i = 1:nw] {
		w = word(workloads, i)
		models = models_in(summary_b, w)
		n = words(models)
		ca = largest_in(summary_a, w)
		cb = largest_in(summary_b, w)
		tics = ''
		do for [j = 1:n] { tics = tics.sprintf('%s"%s" %d', j > 1 ? ', ' : '', word(models, j), j) }
		eval 'set xtics ('.tics.')'
		set xrange [0.4:n + 0.6]
		set title sprintf('%s workload, C = %d in A, %d in B', w, ca, cb)
		eval key_right(i == nw, nw)
		plot for [j = 1:n] select(summary_a, w, word(models, j)) using \
			(at_largest(word(models, j), ca) ? j - 0.18 : NaN):'wall_median_s':'wall_min_s':'wall_max_s':(0.34) \
			with boxerrorbars lc rgb model_color(word(models, j)) fs pattern 4 border notitle, \
		     for [j = 1:n] select(summary_b, w, word(models, j)) using \
			(at_largest(word(models, j), cb) ? j + 0.18 : NaN):'wall_median_s':'wall_min_s':'wall_max_s':(0.34) \
			with boxerrorbars lc rgb model_color(word(models, j)) notitle, \
		     NaN with boxes lc rgb '#555555' fs pattern 4 border title 'set A', \
		     NaN with boxes lc rgb '#555555' title 'set B'
	}
	unset multiplot
}
