package org.ternsweep.data;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a dataset is and where it officially comes from: its four IDX files with their published
 * hashes, the expected sizes, the download mirrors (tried in order) and how to install it.
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
 * @param name          the dataset's name in sweep files, e.g. {@code fashion-mnist}
 * @param trainImages   training images, 3 dimensions [n, rows, cols]
 * @param trainLabels   training labels, 1 dimension [n]
 * @param testImages    test images
 * @param testLabels    test labels
 * @param trainCount    expected number of training examples (checked on load)
 * @param testCount     expected number of test examples (checked on load)
 * @param rows          image height
 * @param cols          image width
 * @param classes       labels are in [0, classes)
 * @param mirrors       base URLs (ending in '/') to download {@code <archiveName>} from, in order
 * @param installHint   a sentence telling the user how to install the dataset locally
 */
public record DatasetSpec(String name, DatasetFile trainImages, DatasetFile trainLabels, DatasetFile testImages,
                          DatasetFile testLabels, int trainCount, int testCount, int rows, int cols, int classes,
                          List<URI> mirrors, String installHint) {

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

    private static final List<DatasetSpec> KNOWN = List.of(FASHION_MNIST, MNIST);

    public DatasetSpec {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z0-9][a-z0-9._-]*")) {
            throw new IllegalArgumentException("dataset name '" + name
                    + "' must be lower-case letters, digits, '.', '_' or '-' (it is also a directory name)");
        }
        Objects.requireNonNull(trainImages, "trainImages");
        Objects.requireNonNull(trainLabels, "trainLabels");
        Objects.requireNonNull(testImages, "testImages");
        Objects.requireNonNull(testLabels, "testLabels");
        if (trainCount <= 0 || testCount <= 0 || rows <= 0 || cols <= 0 || classes < 2) {
            throw new IllegalArgumentException(name + ": counts and sizes must be positive and classes >= 2, got train="
                    + trainCount + " test=" + testCount + " rows=" + rows + " cols=" + cols + " classes=" + classes);
        }
        mirrors = List.copyOf(mirrors);
        for (URI u : mirrors) {
            if (!u.toString().endsWith("/")) {
                throw new IllegalArgumentException(name + ": mirror '" + u + "' must end with '/'");
            }
        }
        Objects.requireNonNull(installHint, "installHint");
    }

    /** The four files in the fixed order used for the dataset's SHA-256: train images, train labels, test images, test labels. */
    public List<DatasetFile> files() {
        return List.of(trainImages, trainLabels, testImages, testLabels);
    }

    /** Pixels per image. */
    public int pixels() {
        return rows * cols;
    }

    /** The same dataset served from other mirrors (e.g. a local server in tests, an internal mirror). */
    public DatasetSpec withMirrors(List<URI> newMirrors) {
        return new DatasetSpec(name, trainImages, trainLabels, testImages, testLabels, trainCount, testCount, rows,
                cols, classes, newMirrors, installHint);
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
