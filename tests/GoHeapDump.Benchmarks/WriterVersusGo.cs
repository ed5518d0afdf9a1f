using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using GoHeapDump.Reference;

namespace GoHeapDump.Benchmarks;

/// <summary>
/// <c>writer-vs-go [--objects N] [--reps R]</c>: in one run, builds and times the Go runtime's own
/// WriteHeapDump (../shared/bench/gogen, a heap of about N objects, dumps to /dev/null) and the reference writer
/// on a generated state of N objects (to /dev/null through 4 KiB write calls, like the runtime, and to a null
/// stream), then prints both throughputs and the ratio.
/// </summary>
internal static partial class WriterVersusGo
{
    public static int Run(string[] args)
    {
        var objects = IntOption(args, "--objects", 1_000_000);
        var reps = IntOption(args, "--reps", 5);
        var source = Environment.GetEnvironmentVariable("GOGEN_SOURCE") ?? SharedBench.Source("gogen");

        Console.WriteLine($"# writer-vs-go: {objects} objects, {reps} timed dumps each");
        var go = RunGo(source, objects, reps);
        if (go is null)
        {
            return 1;
        }

        var state = StateBuilder.Build(1, objects, "amd64");
        long bytes;
        using (var counter = new CountingStream())
        {
            HeapDumpWriter.Write(state, counter);
            bytes = counter.Length;
        }

        var devNull = Median(reps, () =>
        {
            // One write(2) per runtime write call, as the runtime does.
            using var f = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            HeapDumpWriter.Write(state, new RawWriteSink((int)f.DangerousGetHandle()));
        });
        var nullStream = Median(reps, () => HeapDumpWriter.Write(state, Stream.Null));

        var goGBps = go.Value.Bytes / 1e9 / (go.Value.DevNullMs / 1000);
        var devNullGBps = bytes / 1e9 / (devNull / 1000);
        var nullGBps = bytes / 1e9 / (nullStream / 1000);
        Console.WriteLine($"go runtime WriteHeapDump  : {go.Value.Bytes,12:N0} bytes  {go.Value.DevNullMs,8:F1} ms  {goGBps:F3} GB/s  (/dev/null, median of {reps})");
        Console.WriteLine($"reference writer          : {bytes,12:N0} bytes  {devNull,8:F1} ms  {devNullGBps:F3} GB/s  (/dev/null, median of {reps})");
        Console.WriteLine($"reference writer          : {bytes,12:N0} bytes  {nullStream,8:F1} ms  {nullGBps:F3} GB/s  (Stream.Null, median of {reps})");
        Console.WriteLine(FormattableString.Invariant($"RATIO writer/go (/dev/null) = {devNullGBps / goGBps:F2}  (Stream.Null: {nullGBps / goGBps:F2})"));
        return 0;
    }

    private static (long Bytes, double DevNullMs)? RunGo(string source, int objects, int reps)
    {
        var dir = Path.Combine(Path.GetTempPath(), "gogen-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(dir);
            foreach (var file in Directory.GetFiles(source))
            {
                File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
            }

            if (Exec(dir, "go", "build -o gogen .") is null)
            {
                return null;
            }

            var output = Exec(dir, Path.Combine(dir, "gogen"), $"-n {objects} -out {Path.Combine(dir, "dump.bin")} -reps 1 -devnull-reps {reps}");
            var summary = output?.Split('\n').FirstOrDefault(l => l.StartsWith("SUMMARY", StringComparison.Ordinal));
            if (summary is null)
            {
                Console.Error.WriteLine("gogen printed no SUMMARY line");
                return null;
            }

            Console.WriteLine($"gogen: {summary}");
            var bytes = long.Parse(SummaryField().Match(summary).Groups["bytes"].Value, CultureInfo.InvariantCulture);
            var ms = double.Parse(DevNullField().Match(summary).Groups["ms"].Value, CultureInfo.InvariantCulture);
            return (bytes, ms);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string? Exec(string dir, string file, string arguments)
    {
        var psi = new ProcessStartInfo(file, arguments) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["GOFLAGS"] = "-mod=mod";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            Console.Error.WriteLine($"{file} {arguments} failed ({p.ExitCode}): {stderr}");
            return null;
        }

        return stdout.Result;
    }

    private static double Median(int reps, Action action)
    {
        action(); // warm-up (JIT tiers)
        action();
        var times = new List<double>();
        for (var i = 0; i < reps; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    [GeneratedRegex(@"\bbytes=(?<bytes>\d+)")]
    private static partial Regex SummaryField();

    [GeneratedRegex(@"\bdevnull_med_ms=(?<ms>[\d.]+)")]
    private static partial Regex DevNullField();

    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }
}
