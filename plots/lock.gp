# lock.gp - who holds the gil model's lock, traced by lesson 6 (lock.csv:
# interval_ms, worker, from_ms, to_ms; one row per holding, from the
# model's --trace lines). One panel per switch interval, a row per thread:
# a bar is a time that thread held the lock, each change of row is a
# hand-over, and two rows never overlap. The first 40 ms are drawn, enough
# to count the turns. Sets without lock.csv have nothing to draw.
load ARG0[1:strlen(ARG0) - strlen('lock.gp')].'common.gp'

lock = dir.'/lock.csv'
if (!lock_ok) { print 'lock.gp: no lock.csv in '.dir.', nothing to plot'; exit }

# Its switch intervals and its rows of threads, from plan.gp.
intervals = lock_intervals
ni = words(intervals)
rows = lock_rows
span_ms = 40.0
worker_color(w) = w == 0 ? '#1f77b4' : w == 1 ? '#2ca02c' : w == 2 ? '#ff7f0e' : w == 3 ? '#9467bd' : '#8c564b'

set datafile separator ','
set style fill solid 0.8 border rgb '#333333'
set grid xtics lt 1 lw 1 lc rgb '#e4e4e4'
set yrange [rows - 0.5:-0.5]
set ytics 1 nomirror
set xtics nomirror
set xrange [0:span_ms]
set ylabel 'thread'
set key off
do for [t in outputs] {
	eval set_output(t, 'lock', 1100, 140 + ni * (60 + rows * 40))
	set multiplot layout ni, 1 title 'Who holds the lock (gil model, --trace): a bar per holding, a row per thread; each change of row is a hand-over'
	do for [i = 1:ni] {
		iv = word(intervals, i) + 0
		set title sprintf('switch interval %g ms', iv)
		set xlabel (i == ni ? 'time since the start of the run (ms)' : '')
		plot lock using (column(1) == iv ? (column(3) + column(4)) / 2 : NaN):2: \
			((column(4) - column(3)) / 2):(0.35):(column(2) + 1) \
			every ::1 with boxxyerror lc variable
	}
	unset multiplot
}
