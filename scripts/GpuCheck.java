import java.util.Random;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.ternsweep.engine.CudaProbe;

/**
 * The Java half of scripts/gpu-check.sh, compiled into the bundle by scripts/gpu-bundle.sh against the engine and
 * JavaCPP's CUDA presets: probes the machine as {@code engine: cuda} does ({@link CudaProbe}), then loads the CUDA
 * runtime, cuDNN and cuBLAS through the presets and checks one cuBLAS sgemm against a Java product. Prints one
 * line per fact. Exit codes: 0 all ran, 3 no GPU, 4 a CUDA library did not load or a call failed.
 */
public final class GpuCheck {
    private GpuCheck() {
    }

    public static void main(String[] args) throws java.io.IOException {
        CudaProbe probe = CudaProbe.probe(System.getenv());
        System.out.println("probe: " + probe.describeSearch());
        if (!probe.hasGpu()) {
            System.out.println("gpu-check: no GPU: " + probe.describeSearch());
            System.exit(3);
        }
        System.out.println("javacpp " + Loader.getVersion() + ", cuda preset "
                + cudart.class.getPackage().getImplementationVersion());
        try {
            Loader.load(cudart.class);
            int[] v = new int[1];
            check(cudart.cudaDriverGetVersion(v), "cudaDriverGetVersion");
            System.out.println("cuda driver api " + v[0]);
            check(cudart.cudaRuntimeGetVersion(v), "cudaRuntimeGetVersion");
            System.out.println("cuda runtime " + v[0]);
            check(cudart.cudaGetDeviceCount(v), "cudaGetDeviceCount");
            for (int d = 0; d < v[0]; d++) {
                cudaDeviceProp p = new cudaDeviceProp();
                check(cudart.cudaGetDeviceProperties(p, d), "cudaGetDeviceProperties");
                System.out.printf("device %d: %s, sm_%d%d, %d MiB%n", d, p.name().getString(), p.major(), p.minor(),
                        p.totalGlobalMem() >> 20);
            }
        } catch (Throwable t) {
            fail("the CUDA runtime did not load or failed", t);
        }
        try {
            Loader.load(cudnn.class);
            System.out.println("cudnn " + cudnn.cudnnGetVersion());
        } catch (Throwable t) {
            fail("cuDNN did not load", t);
        }
        try {
            sgemm(256);
        } catch (Throwable t) {
            fail("cuBLAS did not load or its sgemm failed", t);
        }
        System.out.println("gpu-check: the CUDA presets load and run on this GPU");
    }

    /** One n x n x n cuBLAS sgemm against a double-accumulated Java product. */
    private static void sgemm(int n) {
        Loader.load(cublas.class);
        Random r = new Random(0);
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
            b[i] = (float) r.nextGaussian();
        }
        long bytes = 4L * n * n;
        Pointer da = new Pointer();
        Pointer db = new Pointer();
        Pointer dc = new Pointer();
        check(cudart.cudaMalloc(da, bytes), "cudaMalloc");
        check(cudart.cudaMalloc(db, bytes), "cudaMalloc");
        check(cudart.cudaMalloc(dc, bytes), "cudaMalloc");
        check(cudart.cudaMemcpy(da, new FloatPointer(a), bytes, cudart.cudaMemcpyHostToDevice), "cudaMemcpy");
        check(cudart.cudaMemcpy(db, new FloatPointer(b), bytes, cudart.cudaMemcpyHostToDevice), "cudaMemcpy");
        cublasContext h = new cublasContext();
        check(cublas.cublasCreate_v2(h), "cublasCreate");
        long t0 = System.nanoTime();
        // column-major C = A * B with A, B read as column-major n x n
        check(cublas.cublasSgemm_v2(h, cublas.CUBLAS_OP_N, cublas.CUBLAS_OP_N, n, n, n, new FloatPointer(1f),
                new FloatPointer(da), n, new FloatPointer(db), n, new FloatPointer(0f), new FloatPointer(dc), n),
                "cublasSgemm");
        check(cudart.cudaDeviceSynchronize(), "cudaDeviceSynchronize");
        long t1 = System.nanoTime();
        FloatPointer host = new FloatPointer((long) n * n);
        check(cudart.cudaMemcpy(host, dc, bytes, cudart.cudaMemcpyDeviceToHost), "cudaMemcpy");
        double worst = 0;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                double mag = 0;
                for (int k = 0; k < n; k++) {
                    s += (double) a[k * n + i] * b[j * n + k];
                    mag += Math.abs((double) a[k * n + i] * b[j * n + k]);
                }
                worst = Math.max(worst, Math.abs(host.get((long) j * n + i) - s) / Math.max(mag, 1e-30));
            }
        }
        cublas.cublasDestroy_v2(h);
        cudart.cudaFree(da);
        cudart.cudaFree(db);
        cudart.cudaFree(dc);
        System.out.printf("cublas sgemm %d: worst error / sum|a*b| %.2e (first call %.1f ms)%n", n, worst,
                (t1 - t0) / 1e6);
        if (worst > 1e-5) {
            throw new IllegalStateException("cuBLAS sgemm disagrees with the Java product: " + worst);
        }
    }

    private static void check(int status, String call) {
        if (status != 0) {
            throw new IllegalStateException(call + " returned " + status);
        }
    }

    private static void fail(String what, Throwable t) {
        System.out.println("gpu-check: " + what + ": " + t);
        System.exit(4);
    }
}
