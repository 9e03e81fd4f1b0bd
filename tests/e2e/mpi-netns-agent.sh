#!/bin/sh
# mpi-netns-agent.sh - Open MPI's plm_rsh_agent for the tests' simulated
# cluster (tests/e2e/test_mpi_cluster.c): where ssh would log in to HOST and run
# COMMAND, this runs COMMAND inside HOST's network namespace. The map comes
# from CONCUR_NETNS_MAP="ADDR=NAMESPACE ADDR=NAMESPACE ...".
#   usage: mpi-netns-agent.sh HOST COMMAND...
host=$1
shift
ns=
for pair in $CONCUR_NETNS_MAP; do
  case $pair in "$host="*) ns=${pair#*=} ;; esac
done
if [ -z "$ns" ]; then
  echo "mpi-netns-agent: no namespace for host '$host'" >&2
  exit 1
fi
# Real hosts each have their own /tmp; these share one, and two daemons
# making the same session directory at once collide (mkdir: File exists).
# So each "host" gets its own, under CONCUR_NETNS_TMP, which the test removes.
tmp=${CONCUR_NETNS_TMP:-/tmp}/$ns
mkdir -p "$tmp" || exit 1
# Open MPI's daemon refuses root unless told, on every host.
exec ip netns exec "$ns" env OMPI_ALLOW_RUN_AS_ROOT=1 \
  OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_orte_tmpdir_base="$tmp" \
  sh -c "$*"
