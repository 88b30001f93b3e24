#!/usr/bin/env bash
# Makes the full datasets available to the configs in conf/.
#
# Fashion-MNIST: on Debian and Ubuntu the package dataset-fashion-mnist installs it under
# /usr/share/datasets/fashion-mnist, where conf/hyperclean-fashion-mnist.conf and
# conf/regtune-fashion-mnist.conf look for it. Elsewhere, put the four files
#   train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz
#   t10k-images-idx3-ubyte.gz  t10k-labels-idx1-ubyte.gz
# from https://github.com/zalandoresearch/fashion-mnist in a directory and pass data.dir=DIR.
#
# MNIST: put the same four file names (gzipped or not; the reader tells by their content) of the
# original MNIST in a directory of your own, e.g. data/mnist/, and run any config with
# data.dir=data/mnist. The same reader serves both datasets.
set -euo pipefail
dir=/usr/share/datasets/fashion-mnist
if [ -f "$dir/train-images-idx3-ubyte.gz" ]; then
  echo "Fashion-MNIST is installed in $dir"
  exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq dataset-fashion-mnist
  echo "Fashion-MNIST is installed in $dir"
else
  echo "No apt-get here: download Fashion-MNIST's four idx files into a directory and run" >&2
  echo "the configs with data.dir=THAT_DIRECTORY." >&2
  exit 1
fi
