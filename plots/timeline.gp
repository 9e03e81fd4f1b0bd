# timeline.gp - what each worker did during one run of each model: every
# task is a bar from its start to its end on the row of the worker that
# ran it (a thread, a process, or the event loop; the hybrid's pool
# threads have rows of their own). Overlapping bars are concurrency; gaps
# are idle workers; sequential is one row of bars end to end. One picture
# per workload (timeline-WORKLOAD.png), one panel per model; the C models
# share one time axis so their panels compare, and the py-* models (much
# slower, often given less work) share another. The run shown is the one at the largest C,
# first repetition. Reads tasks.csv (worker, start_s, end_s, kind).
load ARG0[1:strlen(ARG0) - strlen('timeline.gp')].'common.gp'

workloads = workloads_in(tasks)
if (words(workloads) == 0) { print 'timeline.gp: no tasks in '.tasks.', nothing to plot'; exit }

# Did this task end ok (ok = 1) or not (ok = 0)?
ended(ok) = (strcol('kind') eq 'ok') == ok
ms(s) = 1000.0 * s
failed_color = '#d62728'

# Per model of workload w: its rows (largest worker + 1), its C and how
# many of its tasks failed, as "rows C failed" triples in model order:
# shape_of(w), from plan.gp; last_end(w, py) the last end of a task of
# the C models (py = 0) or the py-* (py = 1).

# Translucent bars: where tasks overlap on one row (the event loop has
# many in flight), the overlap shows darker.
set style fill transparent solid 0.55 border rgb '#333333'
set grid xtics lt 1 lw 1 lc rgb '#e4e4e4'
set grid noytics
set key Left reverse samplen 1.5
set ytics nomirror
set xtics nomirror
do for [w in workloads] {
	models = models_in(tasks, w)
	n = words(models)
	shape = shape_of(w)
	total_rows = 0
	do for [j = 1:n] { total_rows = total_rows + int(word(shape, 3 * j - 2)) }
	# Pixels: a row of bars, the gap between panels, the top and bottom.
	row_px = total_rows > 0 ? (1200.0 / total_rows > 20 ? 20.0 : 1200.0 / total_rows < 4 ? 4.0 : 1200.0 / total_rows) : 20.0
	pad_px = 40.0
	top_px = 60.0
	bottom_px = 60.0
	min_px = 36.0 # a panel of one row still has room for its key
	panel_px(rows) = rows * row_px > min_px ? rows * row_px : min_px
	height = top_px + bottom_px + (n - 1) * pad_px + 20
	do for [j = 1:n] { height = height + panel_px(int(word(shape, 3 * j - 2))) }
	height = int(height)
	end_ms_c = ms(last_end(w, 0))
	end_ms_py = ms(last_end(w, 1))
	do for [t in outputs] {
		eval set_output(t, 'timeline-'.w, 1100, height)
		set multiplot title sprintf('Timeline of one run per model, %s workload: a bar per task, start to end, on the row of its worker', w)
		set lmargin at screen 70.0 / 1100
		set rmargin at screen 1 - 220.0 / 1100
		top = 1 - top_px / height
		do for [j = 1:n] {
			m = word(models, j)
			rows = int(word(shape, 3 * j - 2))
			c = int(word(shape, 3 * j - 1))
			bad = int(word(shape, 3 * j))
			bottom = top - panel_px(rows) / height
			set tmargin at screen top
			set key at screen 1 - 210.0 / 1100, top left top
			set bmargin at screen bottom
			set yrange [rows - 0.5:-0.5]
			if (rows <= 8) { set ytics 1 } else { set ytics autofreq }
			set ylabel 'worker'
			# The last panel of each group carries its time axis.
			end_ms = is_py(m) ? end_ms_py : end_ms_c
			set xrange [0:end_ms > 0 ? end_ms * 1.01 : 1]
			last_of_group = j == n || is_py(word(models, j + 1)) != is_py(m)
			if (last_of_group) {
				set xlabel sprintf('time since the start of the run (ms)%s', \
					is_py(m) ? ', py-* models' : end_ms_py > 0 ? ', C models' : '')
				set format x '%g'
			} else {
				unset xlabel
				set format x ''
			}
			# One bar: x from start to end, y a band around the worker's row.
			if (bad == 0) {
				plot select(tasks, w, m) using (ended(1) ? ms(column('start_s')) : NaN):'worker': \
					(ms(column('start_s'))):(ms(column('end_s'))):(column('worker') - 0.38):(column('worker') + 0.38) \
					with boxxyerror lc rgb model_color(m) title sprintf('%s, C = %d', m, c)
			} else {
				plot select(tasks, w, m) using (ended(1) ? ms(column('start_s')) : NaN):'worker': \
					(ms(column('start_s'))):(ms(column('end_s'))):(column('worker') - 0.38):(column('worker') + 0.38) \
					with boxxyerror lc rgb model_color(m) title sprintf('%s, C = %d', m, c), \
				     select(tasks, w, m) using (ended(0) ? ms(column('start_s')) : NaN):'worker': \
					(ms(column('start_s'))):(ms(column('end_s'))):(column('worker') - 0.38):(column('worker') + 0.38) \
					with boxxyerror lc rgb failed_color fs pattern 4 title sprintf('failed (%d)', bad)
			}
			top = bottom - (last_of_group ? pad_px + 20 : pad_px) / height
		}
		unset multiplot
	}
}
