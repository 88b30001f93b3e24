package org.f2ba.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.f2ba.data.IdxReader.Header;
import org.f2ba.data.IdxReader.IdxArray;

/**
 * Labeled images from a pair of idx files (MNIST, Fashion-MNIST). Unsigned-byte pixels are scaled
 * to [0, 1] by dividing by 255; pixels stored as floats are taken as they are. The files are read
 * here ({@link #load}) or by Spark's executors, each a range of rows ({@link #read}); either way
 * the rows are stored sparse if they are sparse enough ({@link DataBlock#sparseFor}).
 */
public final class ImageFiles {
  /** Bytes of images a partition reads from a raw file, at most. */
  private static final long PARTITION_BYTES = 64L << 20;

  private ImageFiles() {
  }

  public static InMemoryRows load(String imagesFile, String labelsFile, int numClasses) {
    IdxArray images = IdxReader.read(imagesFile);
    IdxArray labels = IdxReader.read(labelsFile);
    checkShapes(imagesFile, images.dims(), labelsFile, labels.dims());
    double[] pixels = images.values();
    long nonZeros = 0;
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = pixel(pixels[i], images.unsignedBytes());
      nonZeros += pixels[i] != 0 ? 1 : 0;
    }
    for (int i = 0; i < labels.count(); i++) {
      String problem = labelProblem(labelsFile, labels.values()[i], i, numClasses);
      if (problem != null) {
        throw new InputException(problem);
      }
    }
    LabeledData data = new LabeledData(imagesFile, images.valuesPerItem(), numClasses, pixels,
        labels.values());
    return DataBlock.sparseFor(nonZeros, data.rows(), data.dim()) ? SparseLabeledData.of(data)
        : data;
  }

  /**
   * The images and labels, read by the executors: a partition reads a range of rows (a raw file
   * from its first row, a gzipped one from its start, which is why gzipped files are cut into
   * fewer partitions), here only the headers. The rows, and the files' lengths, are checked in
   * one job as they would be here; a lost cached block is read again from the files.
   */
  public static TableRows read(JavaSparkContext jsc, String imagesFile, String labelsFile,
      int numClasses) {
    Configuration conf = jsc.hadoopConfiguration();
    Header images = IdxReader.header(imagesFile, conf);
    Header labels = IdxReader.header(labelsFile, conf);
    checkShapes(imagesFile, images.dims(), labelsFile, labels.dims());
    int n = images.count();
    if (n == 0) {
      throw new InputException(imagesFile + ": the dataset is empty");
    }
    boolean gzipped;
    try {
      gzipped = DataFiles.gzipped(new Path(imagesFile), conf);
    } catch (IOException e) {
      throw new InputException(imagesFile + ": cannot read (" + e.getMessage() + ")", e);
    }
    long bytes = n * images.bytesPerItem();
    int parts = (int) Math.min(n, gzipped ? jsc.defaultParallelism()
        : Math.max(jsc.defaultParallelism(), (bytes + PARTITION_BYTES - 1) / PARTITION_BYTES));
    long[] starts = new long[parts + 1];
    for (int p = 0; p <= parts; p++) {
      starts[p] = n * (long) p / parts;
    }
    Source source = new Source(imagesFile, qualified(imagesFile, conf), images, labelsFile,
        qualified(labelsFile, conf), labels, starts, new SerializableWritable<>(conf));
    List<Integer> numbers = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      numbers.add(p);
    }
    JavaRDD<Integer> partitions = jsc.parallelize(numbers, parts);
    long nonZeros = 0;
    for (PartitionCheck check : partitions.map(p -> source.check(p, numClasses)).collect()) {
      if (check.problem() != null) {
        throw new InputException(check.problem());
      }
      nonZeros += check.nonZeros();
    }
    return TableRows.of(imagesFile, partitions.mapPartitionsWithIndex((p, it) -> source.rows(p),
        true), starts, images.valuesPerItem(), numClasses, nonZeros);
  }

  /** The file's full name, which executors in other working directories find too. */
  private static String qualified(String file, Configuration conf) {
    Path path = new Path(file);
    try {
      return path.getFileSystem(conf).makeQualified(path).toString();
    } catch (IOException e) {
      throw new InputException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  private static void checkShapes(String imagesFile, int[] images, String labelsFile,
      int[] labels) {
    if (images.length < 2) {
      throw new InputException(imagesFile + ": expected an array of images (2 or more"
          + " dimensions), found " + images.length + " dimension");
    }
    if (labels.length != 1) {
      throw new InputException(labelsFile + ": expected a vector of labels (1 dimension), found "
          + labels.length + " dimensions");
    }
    if (images[0] != labels[0]) {
      throw new InputException(imagesFile + " holds " + images[0] + " images but "
          + labelsFile + " holds " + labels[0] + " labels");
    }
  }

  private static double pixel(double value, boolean unsignedBytes) {
    return unsignedBytes ? value / 255.0 : value;
  }

  private static String labelProblem(String labelsFile, double v, long i, int numClasses) {
    String problem = Rows.labelProblem(v, numClasses);
    return problem == null ? null
        : labelsFile + ": label " + v + " of sample " + i + " " + problem;
  }

  /** A partition's rows checked: their non-zeros, and the first problem, if any. */
  private record PartitionCheck(long nonZeros, String problem) implements Serializable {
  }

  /**
   * The two files (as named, and their full names), and the rows [starts[p], starts[p + 1]) that
   * partition p reads.
   */
  private record Source(String imagesFile, String imagesPath, Header images, String labelsFile,
      String labelsPath, Header labels, long[] starts, SerializableWritable<Configuration> conf)
      implements Serializable {

    /**
     * Partition p's rows checked; the last partition also checks that the files end after its
     * rows.
     */
    PartitionCheck check(int p, int numClasses) throws IOException {
      long nonZeros = 0;
      try (Reader reader = new Reader(this, p)) {
        for (long i = starts[p]; i < starts[p + 1]; i++) {
          double[] pixels = reader.pixels();
          double label = reader.label();
          for (int j = 0; j < pixels.length; j++) {
            if (!Double.isFinite(pixels[j])) {
              return new PartitionCheck(nonZeros, imagesFile + ": sample " + i + ", feature "
                  + j + " is " + pixels[j] + " (features must be finite)");
            }
            nonZeros += pixels[j] != 0 ? 1 : 0;
          }
          String problem = labelProblem(labelsFile, label, i, numClasses);
          if (problem != null) {
            return new PartitionCheck(nonZeros, problem);
          }
        }
        if (p == starts.length - 2) {
          reader.images.checkEnd();
          reader.labels.checkEnd();
        }
      } catch (InputException e) { // a file shorter or longer than its header announces
        return new PartitionCheck(nonZeros, e.getMessage());
      }
      return new PartitionCheck(nonZeros, null);
    }

    /** Partition p's rows (features, label), read as they are asked for. */
    Iterator<Row> rows(int p) {
      Reader reader = new Reader(this, p);
      DataFiles.closeWithTask(reader);
      return new Iterator<>() {
        private long next = starts[p];

        @Override
        public boolean hasNext() {
          return next < starts[p + 1];
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          next++;
          double[] pixels = reader.pixels();
          return RowFactory.create(Vectors.dense(pixels), reader.label());
        }
      };
    }
  }

  /** The two files open at a partition's first row. */
  private static final class Reader implements Closeable {
    private final IdxReader.Items images;
    private final IdxReader.Items labels;
    private final boolean unsignedBytes;

    Reader(Source source, int p) {
      int from = (int) source.starts()[p];
      Configuration conf = source.conf().value();
      this.images = IdxReader.items(source.imagesFile(), source.imagesPath(), source.images(),
          from, conf);
      this.labels = IdxReader.items(source.labelsFile(), source.labelsPath(), source.labels(),
          from, conf);
      this.unsignedBytes = source.images().unsignedBytes();
    }

    double[] pixels() {
      double[] values = images.next();
      for (int j = 0; j < values.length; j++) {
        values[j] = pixel(values[j], unsignedBytes);
      }
      return values;
    }

    double label() {
      return labels.next()[0];
    }

    @Override
    public void close() throws IOException {
      try (IdxReader.Items first = images; IdxReader.Items second = labels) {
        // closes both
      }
    }
  }
}
