# latency.gp - how long one task took from its start to its end, per
# model, at the largest C (the baselines at C = 1): the median task (p50),
# and the slow tail (p95, p99). A model that runs many tasks at once on
# few cores makes each task wait, so its latency grows while its wall time
# falls. Reads summary.csv (lat_p50_ms, lat_p95_ms, lat_p99_ms: medians
# over the runs).
load ARG0[1:strlen(ARG0) - strlen('latency.gp')].'common.gp'

workloads = workloads_in(summary)
nw = words(workloads)
if (nw == 0) { print 'latency.gp: no cases in '.summary.', nothing to plot'; exit }

# Is this row at the largest C (the baselines ran at C = 1 only)?
at_largest(m, cmax) = column('workers') == cmax || is_baseline(m)
percentiles = 'lat_p50_ms lat_p95_ms lat_p99_ms'

set yrange [0:*]
set xrange [0.5:3.5]
set xtics ('p50 (median)' 1, 'p95' 2, 'p99' 3) nomirror
set ylabel 'task latency (ms)'
set xlabel 'percentile'
do for [t in outputs] {
	eval set_output(t, 'latency', panels_width(nw), 560)
	eval panels(nw, 'Per-task latency at the largest C (start to end of one task; median of the runs)')
	do for [i = 1:nw] {
		w = word(workloads, i)
		models = models_in(summary, w)
		n = words(models)
		cmax = largest_c(w)
		bw = 0.8 / n
		set boxwidth bw
		set title sprintf("%s workload, C = %d (baselines: 1)%s", w, cmax, work_note(w))
		eval key_right(i == nw, nw)
		# Bar j of model m sits in the group of each percentile k.
		plot for [j = 1:n] for [k = 1:3] select(summary, w, word(models, j)) \
			using (at_largest(word(models, j), cmax) ? k + (j - (n + 1) / 2.0) * bw : NaN):(column(word(percentiles, k))) \
			with boxes lc rgb model_color(word(models, j)) title (k == 1 ? word(models, j) : '')
	}
	unset multiplot
}
