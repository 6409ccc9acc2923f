#!/bin/sh
# Fast-start launcher of a Spring Boot go-plugin plugin, written by plugin-spring-boot-maven-plugin (fast-start).
# It exec's java, so the process a host starts is the JVM itself: go-plugin 1.0.1 hosts kill only their
# direct child. The JVM uses the extracted jar, the cache a training run wrote next to this script
# (@cache@), and options for a small, mostly idle process. FAST_START_JAVA overrides the java
# executable, FAST_START_JAVA_OPTS adds options; AOT_TRAINING_RUN=1 makes this run write the cache.
# The directory is the script's own, found through any chain of symlinks (a host may exec a link
# such as /usr/local/bin/my-plugin), without readlink -f, which older macOS and busybox lack.
self=$0
while [ -L "$self" ]; do
	link=$(readlink -- "$self")
	case $link in
		/*) self=$link ;;
		*) self=$(dirname -- "$self")/$link ;;
	esac
done
dir=$(CDPATH= cd -- "$(dirname -- "$self")" && pwd -P)
java="${FAST_START_JAVA:-@java@}"
cache=
quiet=
c1=
case "@cache@" in
	aot)
		if [ -n "$AOT_TRAINING_RUN" ]; then cache="-XX:AOTCacheOutput=$dir/app.aot" quiet="-Xlog:aot=error:stderr"
		elif [ -f "$dir/app.aot" ]; then cache="-XX:AOTCache=$dir/app.aot"; fi ;;
	cds)
		if [ -n "$AOT_TRAINING_RUN" ]; then cache="-XX:ArchiveClassesAtExit=$dir/app.jsa" quiet="-Xlog:cds=error:stderr"
		elif [ -f "$dir/app.jsa" ]; then cache="-XX:SharedArchiveFile=$dir/app.jsa"; fi ;;
esac
# The training run compiles with C1 only: a cache trained with C2 makes every start replay its C2
# compilations, which costs the 2 cores of a small machine about half a second; trained with C1, C2
# compiles later, only what the plugin's calls make hot.
if [ -n "$AOT_TRAINING_RUN" ]; then c1="-XX:TieredStopAtLevel=1"; fi
# The training run's notes on classes it cannot cache are expected; only its errors are shown.
# shellcheck disable=SC2086 # FAST_START_JAVA_OPTS is a list of options
exec "$java" ${cache:+"$cache"} @options@ ${c1:+"$c1"} ${quiet:+"$quiet"} $FAST_START_JAVA_OPTS -jar "$dir/app.jar" "$@"
