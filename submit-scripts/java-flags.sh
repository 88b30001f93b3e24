# Sourced by the scripts that start a JVM running Spark: the flags Spark 4 needs on JDK 17 (the
# opens of Spark's launcher JavaModuleOptions), the incubating Vector API for netlib's Java BLAS,
# and the logging config of local runs. One thread per BLAS call: Spark's tasks already fill the
# cores, and a multithreaded native BLAS (OpenBLAS, MKL) would oversubscribe them; with more than
# one, arithmetic.blas = auto does not use it (see README, "Arithmetic").
export OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
JAVA_SPARK_FLAGS=(
  --add-modules=jdk.incubator.vector
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
  -Dlog4j2.configurationFile=conf/log4j2.properties
)
