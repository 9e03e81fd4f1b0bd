# common.gp - what every concur plot shares: how to read a result set, how
# to list its workloads and models, one colour and symbol per model, and
# where the pictures go. Each plots/NAME.gp loads it first:
#
#     load ARG0[1:strlen(ARG0) - strlen(NAME.gp)].'common.gp'
#
# Inputs, set by `concur plot` (gnuplot -e "dir='DIR'; term='files'"):
#   dir   the checked copy of the result set concur plot made (summary.csv,
#         tasks.csv, ... and plan.gp, see below)
#   term  'files': write DIR/NAME.png (pngcairo) and DIR/NAME.svg;
#         'dumb': draw on the terminal (stdout)
# The scripts need plan.gp, which only concur writes: run them with
# `concur plot DIR`, not by hand.

if (!exists("dir")) dir = 'results/latest'
if (!exists("term")) term = 'files'

# The CSV files: comma-separated, a header line naming every column (the
# scripts use the names: column('wall_median_s')), empty fields missing.
set datafile separator comma
set datafile columnheaders
summary = dir.'/summary.csv'
runs = dir.'/runs.csv'
tasks = dir.'/tasks.csv'

# What concur plot computed of the set (plan.gp, written by
# harness/report/plot_plan.c): the lists of workloads and models, the
# largest C, the ideal's model, the core count, ... and one data file per
# (workload, model) series. No script runs a shell, awk or sed: a name
# from the set never reaches one.
load dir.'/plan.gp'

# The rows of model m in workload w, header kept, as a data source:
# plot select(summary, 'compute', 'threads') using 'workers':'speedup'.
# (Filtering in gnuplot instead, with NaN for other rows, would break
# the line at every skipped row.) DIR/summary.csv's are in
# DIR/summary-series/W/M.csv.
select(file, w, m) = sprintf('%s-series/%s/%s.csv', file[1:strlen(file) - 4], w, m)

# Lists, in the order the sweep ran them, space-separated (names have no
# spaces): word(list, i) is the i-th, words(list) how many.
workloads_in(file) = file eq tasks ? tasks_workloads : summary_workloads
models_in(file, w) = file eq tasks ? tasks_models(w) : summary_models(w)
# The largest C of a workload (the baselines run at C = 1 only):
# largest_c(w), from plan.gp. The core count: cores (0 when unknown).
# Compute's ideal parallelism at C workers: C, but no more than the cores.
ideal_compute(c) = cores > 0 && c > cores ? cores : c
is_baseline(m) = m eq 'sequential' || m eq 'py-sequential'
# The models that ran at several C (all but the baselines), in workload w.
swept_in(file, w) = summary_swept(w)
# ideal_ref(w, py), from plan.gp: the model whose ideal_s is its group's
# ideal in workload w: the C models (py = 0) or the py-* (py = 1); not
# hybrid if there is another (its own compute pool changes its ideal); ''
# when there is none (--url-file). any_swept: has a model other than the
# baselines run?
is_py(m) = strlen(m) > 3 && m[1:3] eq 'py-'

# One look per model everywhere: the C models in blues and greens, the
# py-* models in oranges, dashed, with the open version of their C
# sibling's symbol (py-asyncio is eventloop's sibling).
c_sibling(m) = !is_py(m) ? m : m eq 'py-asyncio' ? 'eventloop' : m[4:*]
model_color(m) = \
	m eq 'sequential'    ? '#08306b' : m eq 'threads'      ? '#2171b5' : \
	m eq 'processes'     ? '#4eb3d3' : m eq 'eventloop'    ? '#006d2c' : \
	m eq 'gil'           ? '#41ab5d' : m eq 'hybrid'       ? '#02818a' : \
	m eq 'py-sequential' ? '#8c2d04' : m eq 'py-threads'   ? '#e6550d' : \
	m eq 'py-processes'  ? '#fd8d3c' : m eq 'py-asyncio'   ? '#c98a00' : \
	is_py(m)             ? '#f16913' : '#6b8fb5'
model_pt(m) = (c_sibling(m) eq 'sequential' ? 7 : c_sibling(m) eq 'threads' ? 5 : \
	c_sibling(m) eq 'processes' ? 9 : c_sibling(m) eq 'eventloop' ? 11 : \
	c_sibling(m) eq 'gil' ? 13 : c_sibling(m) eq 'hybrid' ? 15 : 3) - is_py(m)
model_dt(m) = is_py(m) ? 2 : 1
# Short names for the terminal's narrow columns.
short_name(m) = m eq 'sequential' ? 'seq' : m eq 'processes' ? 'procs' : \
	m eq 'eventloop' ? 'loop' : m eq 'py-sequential' ? 'py-seq' : \
	m eq 'py-processes' ? 'py-procs' : m eq 'py-asyncio' ? 'py-async' : \
	m eq 'py-threads' ? 'py-thr' : m

# The kernel units per task of the C models and of the py-* models in
# workload w ('' when there are none): units_of(w, py), from plan.gp.
# --py-work can make them differ, and then a C bar and a py-* bar did not
# do the same work.
work_note(w) = (units_of(w, 0) ne '' && units_of(w, 1) ne '' && \
	units_of(w, 0) ne units_of(w, 1) && w ne 'fetch') ? \
	sprintf("\nwork per task: C models %s units, py-* %s", units_of(w, 0), units_of(w, 1)) : ''

# Where the pictures go: `do for [t in outputs] { eval set_output(t, NAME,
# W, H); ... }` draws the same plot once per output.
outputs = term eq 'dumb' ? 'dumb' : 'pngcairo svg'
set_output(t, name, w, h) = \
	t eq 'dumb' ? "set terminal dumb size 120,40; set output; unset grid" : \
	t eq 'pngcairo' ? sprintf("set terminal pngcairo noenhanced size %d,%d font 'Sans,11'; set output '%s/%s.png'", w, h, dir, name) : \
	sprintf("set terminal svg noenhanced size %d,%d dynamic font 'Sans,11' background '#ffffff'; set output '%s/%s.svg'", w, h, dir, name)


set grid ytics lt 1 lw 1 lc rgb '#d8d8d8'
set border lc rgb '#444444'
set style fill solid 0.85 border rgb '#333333'

# One panel per workload side by side, the key of the last panel (the
# same models run every workload) in a column of its own on the right.
# The width of a picture of n panels, in pixels.
panels_width(n) = 330 + 370 * n
panels(n, title) = sprintf("set multiplot layout 1,%d margins %.3f,%.3f,0.13,0.84 spacing %.3f title '%s'", \
	n, 70.0 / panels_width(n), 1 - 260.0 / panels_width(n), 95.0 / panels_width(n), title)
key_right(last, n) = last ? sprintf("set key at screen %.3f, 0.84 left top Left reverse samplen 3 spacing 1.2 box lc rgb '#bbbbbb'", \
	1 - 240.0 / panels_width(n)) : "set key off"
# wall_at_one(w, m), from plan.gp: the median wall time of model m in
# workload w at C = 1 ('' when there is no such row).
