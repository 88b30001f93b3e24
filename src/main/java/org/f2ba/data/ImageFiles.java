package org.f2ba.data;

import org.f2ba.data.IdxReader.IdxArray;

/**
 * Labeled images from a pair of idx files (MNIST, Fashion-MNIST). Unsigned-byte pixels are scaled
 * to [0, 1] by dividing by 255; pixels stored as floats are taken as they are.
 */
public final class ImageFiles {
  private ImageFiles() {
  }

  public static LabeledData load(String imagesFile, String labelsFile, int numClasses) {
    IdxArray images = IdxReader.read(imagesFile);
    IdxArray labels = IdxReader.read(labelsFile);
    if (images.dims().length < 2) {
      throw new InputException(imagesFile + ": expected an array of images (2 or more"
          + " dimensions), found " + images.dims().length + " dimension");
    }
    if (labels.dims().length != 1) {
      throw new InputException(labelsFile + ": expected a vector of labels (1 dimension), found "
          + labels.dims().length + " dimensions");
    }
    if (images.count() != labels.count()) {
      throw new InputException(imagesFile + " holds " + images.count() + " images but "
          + labelsFile + " holds " + labels.count() + " labels");
    }
    double[] pixels = images.values();
    if (images.unsignedBytes()) {
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] /= 255.0;
      }
    }
    int[] classes = new int[labels.count()];
    for (int i = 0; i < classes.length; i++) {
      double v = labels.values()[i];
      if (v != Math.rint(v) || v < 0 || v >= numClasses) {
        throw new InputException(labelsFile + ": label " + v + " of sample " + i
            + " is outside the " + numClasses + " classes [0, " + (numClasses - 1) + "]");
      }
      classes[i] = (int) v;
    }
    return new LabeledData(imagesFile, images.valuesPerItem(), numClasses, pixels, classes);
  }
}
