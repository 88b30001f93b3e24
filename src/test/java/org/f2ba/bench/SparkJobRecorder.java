package org.f2ba.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;

/** Records, for every Spark job, its start and end and the timings of its tasks. */
final class SparkJobRecorder extends SparkListener {
  /** One task: when it was launched and finished, and where its time went (ms). */
  record TaskTiming(long launch, long finish, long deserialize, long run, long resultSerialize,
      long gettingResult) {
  }

  /** One job: submission and end times (ms), and its tasks. */
  record JobTiming(long submitted, long ended, List<TaskTiming> tasks) {
  }

  private final Map<Integer, Long> starts = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> stageToJob = new ConcurrentHashMap<>();
  private final Map<Integer, List<TaskTiming>> tasks = new ConcurrentHashMap<>();
  private final List<JobTiming> finished = new ArrayList<>();

  @Override
  public void onJobStart(SparkListenerJobStart start) {
    starts.put(start.jobId(), start.time());
    tasks.put(start.jobId(), new ArrayList<>());
    scala.collection.Iterator<Object> stages = start.stageIds().iterator();
    while (stages.hasNext()) {
      stageToJob.put((Integer) stages.next(), start.jobId());
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    Integer job = stageToJob.get(end.stageId());
    TaskMetrics m = end.taskMetrics();
    TaskInfo info = end.taskInfo();
    if (job == null || m == null) {
      return;
    }
    List<TaskTiming> list = tasks.get(job);
    synchronized (list) {
      list.add(new TaskTiming(info.launchTime(), info.finishTime(),
          m.executorDeserializeTime(), m.executorRunTime(), m.resultSerializationTime(),
          info.gettingResultTime() == 0 ? 0 : info.finishTime() - info.gettingResultTime()));
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd end) {
    List<TaskTiming> list = tasks.remove(end.jobId());
    synchronized (finished) {
      finished.add(new JobTiming(starts.remove(end.jobId()), end.time(), list));
      finished.notifyAll();
    }
  }

  /** Waits until {@code count} jobs have ended, then returns and forgets them. */
  List<JobTiming> take(int count) throws InterruptedException {
    synchronized (finished) {
      long deadline = System.currentTimeMillis() + 30_000;
      while (finished.size() < count && System.currentTimeMillis() < deadline) {
        finished.wait(100);
      }
      List<JobTiming> out = new ArrayList<>(finished);
      finished.clear();
      return out;
    }
  }
}
