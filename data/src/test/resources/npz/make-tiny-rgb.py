# Writes tiny-rgb.npz, the user-dataset test fixture: 40 train / 20 test RGB images of 8x8 in NHWC uint8,
# int64 labels 0..2 where the label is the brightest channel. Run with /usr/bin/python3 (numpy).
import numpy as np

rng = np.random.default_rng(12)


def split(n):
    y = np.arange(n, dtype=np.int64) % 3
    x = rng.integers(0, 128, size=(n, 8, 8, 3), dtype=np.uint8)
    x[np.arange(n), :, :, y] += 100
    return x, y


x_train, y_train = split(40)
x_test, y_test = split(20)
np.savez_compressed("tiny-rgb.npz", x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
