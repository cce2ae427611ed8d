package org.ternsweep.data;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a dataset is and where it officially comes from: its files with their published hashes (four IDX
 * files, or CIFAR-10's one binary archive), the expected sizes, the download mirrors (tried in order) and how
 * to install it.
 *
 * <p>The hashes in {@link #FASHION_MNIST} and {@link #MNIST} are the upstream ones. For
 * Fashion-MNIST the archive SHA-256s are those of the files published by Zalando Research
 * (https://github.com/zalandoresearch/fashion-mnist, whose README lists their MD5s; the same SHA-256s
 * are used by torchvision, tfds and chainer). The content SHA-256s were computed from the Debian
 * package {@code dataset-fashion-mnist} installed on the build machine and agree with the
 * independently published hashes of the decompressed upstream files. The Debian package re-packs the
 * gzip files without the original file name in the gzip header (each file is exactly 23 bytes
 * shorter, the length of that name plus its NUL), so its archive hashes differ from upstream while
 * its contents are identical: this is why a dataset is identified by its decompressed content, never
 * by the compressed bytes. MNIST's hashes are the well-known ones of the LeCun files as mirrored by
 * PyTorch (ossci-datasets) and Google (cvdf-datasets).
 *
 * <p>CIFAR-10's archive SHA-256 is that of {@code cifar-10-binary.tar.gz} (170 052 171 bytes) as the authors
 * serve it at https://www.cs.toronto.edu/~kriz/cifar.html; that page publishes its MD5,
 * c32a1d4ab5d03f1284b67883e8d87530, and the SHA-256 is the one independent projects record for the same file
 * (e.g. Julia's MLDatasets and torch.rb's CIFAR-10 loader). No content hash is pinned for it: its dataset hash
 * is computed over the six record files inside (see {@link CifarReader}).
 *
 * @param name          the dataset's name in sweep files, e.g. {@code fashion-mnist}
 * @param format        how the files are laid out
 * @param files         the files, in the fixed order of the dataset's content hash: for IDX train images
 *                      (3 dimensions [n, rows, cols]), train labels (1 dimension [n]), test images, test labels;
 *                      for CIFAR binary the one archive
 * @param trainCount    expected number of training examples (checked on load)
 * @param testCount     expected number of test examples (checked on load)
 * @param channels      image channels
 * @param rows          image height
 * @param cols          image width
 * @param classes       labels are in [0, classes)
 * @param mirrors       base URLs (ending in '/') to download {@code <archiveName>} from, in order
 * @param installHint   a sentence telling the user how to install the dataset locally
 */
public record DatasetSpec(String name, Format format, List<DatasetFile> files, int trainCount, int testCount,
                          int channels, int rows, int cols, int classes, List<URI> mirrors, String installHint) {

    /** How a dataset's files are laid out. */
    public enum Format {
        /** Four IDX files (gzipped or not), LeCun's MNIST format: single-channel images. */
        IDX,
        /** CIFAR-10's binary version: a tar (gzipped or not) of {@code data_batch_1..5.bin}, {@code test_batch.bin}. */
        CIFAR_BINARY
    }

    /** Fashion-MNIST (Xiao, Rasul, Vollgraf 2017, arXiv 1708.07747): the default dataset. */
    public static final DatasetSpec FASHION_MNIST = new DatasetSpec("fashion-mnist",
            new DatasetFile("train-images-idx3-ubyte",
                    "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                    "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
            new DatasetFile("train-labels-idx1-ubyte",
                    "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                    "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
            new DatasetFile("t10k-images-idx3-ubyte",
                    "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                    "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
            new DatasetFile("t10k-labels-idx1-ubyte",
                    "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
                    "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
            60_000, 10_000, 28, 28, 10,
            List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
                    URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/")),
            "install the Debian package with 'sudo apt-get install dataset-fashion-mnist'");

    /** MNIST (LeCun, Cortes, Burges), same IDX format. No Debian package ships it. */
    public static final DatasetSpec MNIST = new DatasetSpec("mnist",
            new DatasetFile("train-images-idx3-ubyte",
                    "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                    "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
            new DatasetFile("train-labels-idx1-ubyte",
                    "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                    "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
            new DatasetFile("t10k-images-idx3-ubyte",
                    "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                    "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
            new DatasetFile("t10k-labels-idx1-ubyte",
                    "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
                    "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
            60_000, 10_000, 28, 28, 10,
            List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                    URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/")),
            "download the four MNIST .gz files from https://ossci-datasets.s3.amazonaws.com/mnist/ into a directory");

    /** CIFAR-10 (Krizhevsky 2009), the authors' binary version: 32×32 RGB images, 10 classes. */
    public static final DatasetSpec CIFAR10 = new DatasetSpec("cifar10", Format.CIFAR_BINARY,
            List.of(new DatasetFile("cifar-10-binary.tar",
                    "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd", null)),
            50_000, 10_000, 3, 32, 32, 10,
            List.of(URI.create("https://www.cs.toronto.edu/~kriz/")),
            "download https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz (162 MB) into a directory and pass it"
                    + " with --data");

    private static final List<DatasetSpec> KNOWN = List.of(FASHION_MNIST, MNIST, CIFAR10);

    public DatasetSpec {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z0-9][a-z0-9._-]*")) {
            throw new IllegalArgumentException("dataset name '" + name
                    + "' must be lower-case letters, digits, '.', '_' or '-' (it is also a directory name)");
        }
        Objects.requireNonNull(format, "format");
        files = List.copyOf(files);
        int expected = format == Format.IDX ? 4 : 1;
        if (files.size() != expected) {
            throw new IllegalArgumentException(name + ": a " + format + " dataset has " + expected + " files, got "
                    + files.size());
        }
        if (trainCount <= 0 || testCount <= 0 || channels <= 0 || rows <= 0 || cols <= 0 || classes < 2) {
            throw new IllegalArgumentException(name + ": counts and sizes must be positive and classes >= 2, got train="
                    + trainCount + " test=" + testCount + " channels=" + channels + " rows=" + rows + " cols=" + cols
                    + " classes=" + classes);
        }
        mirrors = List.copyOf(mirrors);
        for (URI u : mirrors) {
            if (!u.toString().endsWith("/")) {
                throw new IllegalArgumentException(name + ": mirror '" + u + "' must end with '/'");
            }
        }
        Objects.requireNonNull(installHint, "installHint");
    }

    /** An IDX dataset of single-channel images from its four files. */
    public DatasetSpec(String name, DatasetFile trainImages, DatasetFile trainLabels, DatasetFile testImages,
                       DatasetFile testLabels, int trainCount, int testCount, int rows, int cols, int classes,
                       List<URI> mirrors, String installHint) {
        this(name, Format.IDX, List.of(trainImages, trainLabels, testImages, testLabels), trainCount, testCount, 1,
                rows, cols, classes, mirrors, installHint);
    }

    /** An IDX dataset's training images file. */
    public DatasetFile trainImages() {
        return idxFile(0);
    }

    /** An IDX dataset's training labels file. */
    public DatasetFile trainLabels() {
        return idxFile(1);
    }

    /** An IDX dataset's test images file. */
    public DatasetFile testImages() {
        return idxFile(2);
    }

    /** An IDX dataset's test labels file. */
    public DatasetFile testLabels() {
        return idxFile(3);
    }

    private DatasetFile idxFile(int i) {
        if (format != Format.IDX) {
            throw new IllegalStateException(name + " is a " + format + " dataset: it has no separate IDX files");
        }
        return files.get(i);
    }

    /** The shape of the dataset's images and its classes. */
    public InputShape shape() {
        return new InputShape(channels, rows, cols, classes);
    }

    /** The same dataset served from other mirrors (e.g. a local server in tests, an internal mirror). */
    public DatasetSpec withMirrors(List<URI> newMirrors) {
        return new DatasetSpec(name, format, files, trainCount, testCount, channels, rows, cols, classes, newMirrors,
                installHint);
    }

    /**
     * The built-in dataset of that name.
     *
     * @throws DatasetException naming the allowed names if there is none
     */
    public static DatasetSpec forName(String name) throws DatasetException {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (DatasetSpec s : KNOWN) {
            if (s.name.equals(n)) {
                return s;
            }
        }
        throw new DatasetException("unknown dataset '" + name + "'; allowed: "
                + KNOWN.stream().map(DatasetSpec::name).toList());
    }
}
