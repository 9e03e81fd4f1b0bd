# load.gp - latency against offered load, traced by lesson 16 (load.csv:
# rate, capacity, served, naive_p50_ms, naive_p99_ms, corrected_p50_ms,
# corrected_p99_ms, model; one row per model and offered rate of its
# part 1, grouped by model). One colour per model: the corrected p99
# (from each task's arrival) thick, the corrected p50 thin, the naive p99
# (from its start) dashed. Below the pool's knee (the dashed line, C / d)
# they agree; past it the pool's queue grows and only its corrected
# latency shows it, while the loops, whose C is larger, stay flat. Sets
# from before the `model` column (threads only) are drawn as threads.
# Sets without load.csv have nothing to draw.
load ARG0[1:strlen(ARG0) - strlen('load.gp')].'common.gp'

load_csv = dir.'/load.csv'
if (!load_ok) { print 'load.gp: no load.csv in '.dir.', nothing to plot'; exit }

# The models' names are the script's own: a row is kept when its model
# cell equals one of them (a name from the file only meets eq).
load_models = 'threads eventloop coroutines'
load_color(m) = m eq 'threads' ? '#d62728' : m eq 'eventloop' ? '#2ca02c' : '#1f77b4'
load_pt(m) = m eq 'threads' ? 5 : m eq 'eventloop' ? 11 : 9
row_of(m) = load_has_model ? strcol('model') eq m : m eq 'threads'
# A column of model m's rows, NaN elsewhere (the rows are grouped by
# model, so no line is broken within a model).
of(m, col) = row_of(m) ? column(col) : NaN

set grid lt 1 lw 1 lc rgb '#e4e4e4'
set logscale y
set xlabel 'offered load (tasks/s)'
set ylabel 'latency (ms, log scale)'
set key outside right top box lc rgb '#bbbbbb' spacing 1.1 samplen 3
set xrange [0:*]
set offsets graph 0.02, graph 0.02, 0, 0
stats load_csv using 'capacity' nooutput
capacity = STATS_max
# The latencies' span, a little widened (log autoscaling would round it
# out to whole decades and squeeze the lines against one border).
stats load_csv using 'naive_p50_ms' nooutput
lat_lo = STATS_min
stats load_csv using 'corrected_p99_ms' nooutput
lat_hi = STATS_max
stats load_csv using 'corrected_p50_ms' nooutput
lat_lo = STATS_min < lat_lo ? STATS_min : lat_lo
set yrange [lat_lo / 1.25 : lat_hi * 1.6]
set ytics (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000)
do for [t in outputs] {
	eval set_output(t, 'load', 1000, 540)
	set title "Latency against offered load: the pool of threads has a knee at its capacity, the loops (larger C) do not\ncorrected: from each task's arrival (thick: p99, thin: p50); naive p99: from its start (dashed)"
	set arrow 1 from capacity, graph 0 to capacity, graph 1 nohead dt 2 lc rgb '#888888'
	set label 1 sprintf('threads capacity C / d = %.0f/s', capacity) at capacity, graph 0.95 right offset -0.5, 0
	plot for [m in load_models] load_csv using 'rate':(of(m, 'corrected_p99_ms')) with linespoints lw 2.5 pt load_pt(m) lc rgb load_color(m) title m.' corrected p99', \
		for [m in load_models] '' using 'rate':(of(m, 'corrected_p50_ms')) with linespoints lw 1 pt load_pt(m) ps 0.7 lc rgb load_color(m) title m.' corrected p50', \
		for [m in load_models] '' using 'rate':(of(m, 'naive_p99_ms')) with linespoints lw 1.5 dt 2 pt load_pt(m) ps 0.7 lc rgb load_color(m) title m.' naive p99'
	unset arrow 1
	unset label 1
}
