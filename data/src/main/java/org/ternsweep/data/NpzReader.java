package org.ternsweep.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A strict reader of NumPy's {@code .npz} files (a zip, stored or deflated, of {@code <name>.npy} members, as
 * {@code numpy.savez} and {@code numpy.savez_compressed} write them) and of the NPY format versions 1.0, 2.0 and
 * 3.0 inside (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html). It reads the dtypes a
 * dataset needs ({@code u1}, {@code i4}, {@code i8}, {@code f4}; little-endian or single-byte) in C order;
 * anything else (Fortran order, object arrays, big-endian, other dtypes) is refused with a message naming the
 * member and what it is.
 */
public final class NpzReader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** The element types read. */
    public enum DType {
        UINT8(1), INT32(4), INT64(8), FLOAT32(4);

        private final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }

        /** NumPy's name of the type, e.g. {@code uint8}. */
        public String numpyName() {
            return switch (this) {
                case UINT8 -> "uint8";
                case INT32 -> "int32";
                case INT64 -> "int64";
                case FLOAT32 -> "float32";
            };
        }
    }

    /**
     * One array: its type, shape and raw little-endian C-order bytes.
     *
     * @param name  the member's name without {@code .npy}
     * @param dtype element type
     * @param shape dimensions
     * @param data  {@code product(shape) × dtype size} bytes, little-endian
     */
    public record Array(String name, DType dtype, int[] shape, byte[] data) {
        /** Number of elements. */
        public long size() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        /** The elements as floats: uint8 as 0..255, float32 as stored. */
        public float[] floats() {
            float[] out = new float[(int) size()];
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < out.length; i++) {
                out[i] = dtype == DType.UINT8 ? data[i] & 0xff : b.getFloat(i * 4);
            }
            return out;
        }

        /** The elements as longs (integer types only). */
        public long[] longs() {
            long[] out = new long[(int) size()];
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < out.length; i++) {
                out[i] = switch (dtype) {
                    case UINT8 -> data[i] & 0xff;
                    case INT32 -> b.getInt(i * 4);
                    case INT64 -> b.getLong(i * 8);
                    case FLOAT32 -> throw new IllegalStateException(name + " is float32, not an integer array");
                };
            }
            return out;
        }
    }

    private NpzReader() {
    }

    /**
     * Every array of the npz held in {@code bytes}, by name in file order.
     *
     * @param source what to call the file in messages
     * @throws DatasetException naming {@code source} and the member if the file is not a readable npz
     */
    public static Map<String, Array> read(String source, byte[] bytes) throws DatasetException {
        Map<String, Array> out = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (e.isDirectory()) {
                    continue;
                }
                if (!e.getName().endsWith(".npy")) {
                    throw new DatasetException(source + ": member '" + e.getName() + "' is not a .npy array;"
                            + " an npz holds only <name>.npy members (numpy.savez)");
                }
                String name = e.getName().substring(0, e.getName().length() - 4);
                if (out.containsKey(name)) {
                    throw new DatasetException(source + ": array '" + name + "' appears twice");
                }
                out.put(name, npy(source + ": array '" + name + "'", name, zip.readAllBytes()));
            }
        } catch (IOException ex) {
            throw new DatasetException(source + ": not a readable npz (zip) file: " + ex.getMessage(), ex);
        }
        if (out.isEmpty()) {
            throw new DatasetException(source + ": not an npz file: it holds no .npy arrays");
        }
        return out;
    }

    /** One NPY array from its bytes; {@code where} prefixes every message. */
    static Array npy(String where, String name, byte[] b) throws DatasetException {
        if (b.length < 10 || !Arrays.equals(Arrays.copyOf(b, 6), MAGIC)) {
            throw new DatasetException(where + ": not an NPY array (no \\x93NUMPY magic)");
        }
        int major = b[6] & 0xff;
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int start;
        if (major == 1) {
            headerLen = buf.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (b.length < 12) {
                throw new DatasetException(where + ": truncated NPY header");
            }
            headerLen = buf.getInt(8) & 0xffffffffL;
            start = 12;
        } else {
            throw new DatasetException(where + ": NPY format version " + major + "." + (b[7] & 0xff)
                    + "; versions 1.0, 2.0 and 3.0 are read");
        }
        if (start + headerLen > b.length) {
            throw new DatasetException(where + ": truncated NPY header");
        }
        String header = new String(b, start, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(where, DESCR, header, "descr");
        if (!group(where, FORTRAN, header, "fortran_order").equals("False")) {
            throw new DatasetException(where + ": is stored in Fortran order; save it in C order"
                    + " (numpy.ascontiguousarray)");
        }
        DType dtype = dtype(where, descr);
        String shapeText = group(where, SHAPE, header, "shape").trim();
        int[] shape = shapeText.isEmpty() ? new int[0] : Arrays.stream(shapeText.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(s -> parseDim(s)).toArray();
        long count = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new DatasetException(where + ": invalid shape (" + shapeText + ")");
            }
            count *= d;
        }
        long dataStart = start + headerLen;
        long expected = count * dtype.bytes;
        if (expected > Integer.MAX_VALUE - 8 || b.length - dataStart != expected) {
            throw new DatasetException(where + ": holds " + (b.length - dataStart) + " data bytes but its header ("
                    + dtype.numpyName() + ", shape (" + shapeText + ")) needs " + expected);
        }
        return new Array(name, dtype, shape, Arrays.copyOfRange(b, (int) dataStart, b.length));
    }

    private static int parseDim(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static DType dtype(String where, String descr) throws DatasetException {
        return switch (descr) {
            case "|u1", "<u1" -> DType.UINT8;
            case "<i4" -> DType.INT32;
            case "<i8" -> DType.INT64;
            case "<f4" -> DType.FLOAT32;
            default -> throw new DatasetException(where + ": has dtype '" + descr + "'; uint8 ('|u1'), int32"
                    + " ('<i4'), int64 ('<i8') and float32 ('<f4') are read");
        };
    }

    private static String group(String where, Pattern p, String header, String key) throws DatasetException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new DatasetException(where + ": NPY header has no '" + key + "': " + header.trim());
        }
        return m.group(1);
    }
}
