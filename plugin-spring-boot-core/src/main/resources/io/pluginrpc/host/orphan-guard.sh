# The orphan guard of a plugin host (io.pluginrpc.host.OrphanGuard), run by /bin/sh on Linux.
#
# Reads one command per line from stdin, a pipe from the host JVM, until the JVM dies and the kernel
# closes the pipe; then kills every plugin still registered and removes the registered paths.
#   add <pid> [group]   a plugin; 'group': it leads its own process group, killed with it
#   del <pid>           a plugin that is gone or stopped
#   dir <id> <path>     a private socket directory of the host, removed with its content
#   sock <id> <path>    a plugin's socket, removed only if it still is a socket
#   undir <id>, unsock <id>
# Paths are kept in variables p_<id> (assigned, never evaluated as code), so any character but a newline
# is safe. A plugin in its own group is killed with the group (kill -KILL -<pgid>; dash's kill takes no
# --), which reaches grandchildren and children that were re-parented; its direct children are killed
# first either way, in case they left the group.

# This file is a private copy the host wrote for this guard: remove it and its directory now that the
# shell has it open.
rm -f -- "$0"
rmdir -- "${0%/*}" 2>/dev/null

pids=' '
groups=' '
dirs=' '
socks=' '
while read -r op id arg; do
  case "$op" in
    add) pids="$pids$id "; [ "$arg" = group ] && groups="$groups$id " ;;
    del) pids=$(printf '%s' "$pids" | sed "s/ $id / /"); groups=$(printf '%s' "$groups" | sed "s/ $id / /") ;;
    dir) dirs="$dirs$id "; eval "p_$id=\$arg" ;;
    sock) socks="$socks$id "; eval "p_$id=\$arg" ;;
    undir) dirs=$(printf '%s' "$dirs" | sed "s/ $id / /"); unset "p_$id" ;;
    unsock) socks=$(printf '%s' "$socks" | sed "s/ $id / /"); unset "p_$id" ;;
  esac
done
for pid in $pids; do
  pkill -KILL -P "$pid" 2>/dev/null
  kill -KILL "$pid" 2>/dev/null
done
for pid in $groups; do
  kill -KILL -"$pid" 2>/dev/null
done
for id in $socks; do
  eval "p=\$p_$id"
  [ -S "$p" ] && rm -f -- "$p"
done
for id in $dirs; do
  eval "p=\$p_$id"
  rm -rf -- "$p"
done
