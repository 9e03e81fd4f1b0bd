# load.gp - latency against offered load, traced by lesson 16 (load.csv:
# rate, capacity, served, naive_p50_ms, naive_p99_ms, corrected_p50_ms,
# corrected_p99_ms; one row per offered rate of its part 1). The corrected
# lines count each task from its arrival, the naive ones from its start:
# below the knee (the dashed line, C / d) they agree; past it the queue
# grows and only the corrected latency shows it. Sets without load.csv
# have nothing to draw.
load ARG0[1:strlen(ARG0) - strlen('load.gp')].'common.gp'

load_csv = dir.'/load.csv'
if (!load_ok) { print 'load.gp: no load.csv in '.dir.', nothing to plot'; exit }

set grid lt 1 lw 1 lc rgb '#e4e4e4'
set logscale y
set xlabel 'offered load (tasks/s)'
set ylabel 'latency (ms, log scale)'
set key top left box lc rgb '#bbbbbb'
set xrange [0:*]
set offsets graph 0.02, graph 0.02, graph 0.1, graph 0.1
stats load_csv using 'capacity' nooutput
capacity = STATS_max
do for [t in outputs] {
	eval set_output(t, 'load', 800, 480)
	set title 'Latency against offered load (threads): naive from the start, corrected from the arrival'
	set arrow 1 from capacity, graph 0 to capacity, graph 1 nohead dt 2 lc rgb '#888888'
	set label 1 'capacity C / d' at capacity, graph 0.95 right offset -0.5, 0
	plot load_csv using 'rate':'corrected_p99_ms' with linespoints lw 2 lc rgb '#d62728' title 'corrected p99', \
		'' using 'rate':'corrected_p50_ms' with linespoints lc rgb '#ff9896' title 'corrected p50', \
		'' using 'rate':'naive_p99_ms' with linespoints lw 2 dt 2 lc rgb '#1f77b4' title 'naive p99', \
		'' using 'rate':'naive_p50_ms' with linespoints dt 2 lc rgb '#aec7e8' title 'naive p50'
	unset arrow 1
	unset label 1
}
