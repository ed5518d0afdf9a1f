using GoHeapDump.Reference;
using GoHeapDump.Testing;

namespace GoHeapDump.Robustness.Tests;

/// <summary>
/// Every file goheapdump writes goes through <see cref="AtomicFile"/>: a run that is killed or fails midway leaves
/// the previous file as it was. A killed run cannot delete its temporary file; the next write to the same target
/// deletes it (its process no longer runs), and until then it is a dot-file that nothing reads.
/// </summary>
public sealed class AtomicOutputTests : IDisposable
{
    private static readonly byte[] Previous = "the previous file, which must survive\n"u8.ToArray();

    private readonly string _directory = Directory.CreateTempSubdirectory("goheapdump-atomic-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string[] Temporaries(string name) => Directory.GetFiles(_directory, "." + name + ".*.tmp");

    [Fact]
    public void Generate_KilledWhileWriting_PreviousFileIntactAndTheNextRunCleansUp()
    {
        var target = Path.Combine(_directory, "big.dump");
        File.WriteAllBytes(target, Previous);

        // On a busy machine this thread can lose the CPU between seeing the first bytes and the kill, and the writer
        // finish first: then the run proved nothing, and a bigger heap (more time to catch it writing) is tried.
        var killed = false;
        for (var objects = 1_000_000; !killed && objects <= 8_000_000; objects *= 2)
        {
            killed = KillWhileWriting(target, objects);
            if (!killed)
            {
                File.WriteAllBytes(target, Previous);
            }
        }

        Assert.True(killed, "generate always finished before it could be killed");
        Assert.Equal(Previous, File.ReadAllBytes(target));
        var stale = Assert.Single(Temporaries("big.dump"));
        Assert.Equal([stale], AtomicFile.StaleTemporaries(_directory, "big.dump"));

        var result = Cli.Run(["generate", "--seed", "1", "--objects", "10", "--out", target]);
        Assert.Equal(0, result.ExitCode);
        Assert.Empty(Temporaries("big.dump"));
        Assert.Equal("go1.7 heap dump\n"u8.ToArray(), File.ReadAllBytes(target)[..16]);
    }

    /// <summary>Starts generate for <paramref name="objects"/> objects, kills it once its temporary file has bytes, and
    /// says whether the kill came first (false: the run finished and moved its file into place).</summary>
    private bool KillWhileWriting(string target, int objects)
    {
        using var process = Cli.Start(["generate", "--seed", "1", "--objects", objects.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", target]);

        // Wait until the writer has put bytes in its temporary file (the state is built first), then kill it.
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!Temporaries("big.dump").Any(t => new FileInfo(t).Length > 0))
        {
            if (process.HasExited)
            {
                Assert.Equal(0, process.ExitCode);
                return false;
            }

            Assert.True(DateTime.UtcNow < deadline, "no temporary file appeared");
            Thread.Sleep(5);
        }

        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        return process.ExitCode != 0;
    }

    /// <summary>The writer's sink fails after 100,000 bytes: the exception propagates, the old file stays, no temporary is left.</summary>
    [Fact]
    public void WriteFile_SinkFailsMidway_PreviousFileIntactNoTemporary()
    {
        var target = Path.Combine(_directory, "faulted.dump");
        File.WriteAllBytes(target, Previous);
        var state = StateBuilder.Build(1, 20_000, "amd64");
        var failure = Assert.Throws<IOException>(() =>
            AtomicFile.Write(target, stream => HeapDumpWriter.Write(state, new FailingSink(stream, 100_000))));
        Assert.Equal("disk full (injected)", failure.Message);
        Assert.Equal(Previous, File.ReadAllBytes(target));
        Assert.Empty(Temporaries("faulted.dump"));
    }

    /// <summary>A target that cannot be replaced (a directory) fails the move: exit 3, the directory untouched, no temporary.</summary>
    [Fact]
    public void Generate_TargetCannotBeReplaced_ExitThreeNoTemporary()
    {
        var target = Path.Combine(_directory, "occupied");
        Directory.CreateDirectory(target);
        File.WriteAllBytes(Path.Combine(target, "inside"), Previous);
        var result = Cli.Run(["generate", "--seed", "1", "--objects", "10", "--out", target]);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal(Previous, File.ReadAllBytes(Path.Combine(target, "inside")));
        Assert.Empty(Temporaries("occupied"));
    }

    [Fact]
    public void ValidateReport_TargetCannotBeReplaced_ExitThreeNoTemporary()
    {
        var dump = Path.Combine(_directory, "tiny.dump");
        File.WriteAllBytes(dump, DumpBytes.WithHeader().Params(ncpu: 4).MemStats().U(0).ToArray());
        var target = Path.Combine(_directory, "report.json");
        Directory.CreateDirectory(target);
        var result = Cli.Run(["validate", "--format", "json", "-o", target, dump]);
        Assert.Equal(3, result.ExitCode);
        Assert.Empty(Temporaries("report.json"));
    }

    [Fact]
    public void ValidateReport_Written_ReplacesThePreviousReportWhole()
    {
        var dump = Path.Combine(_directory, "tiny.dump");
        File.WriteAllBytes(dump, DumpBytes.WithHeader().Params(ncpu: 4).MemStats().U(0).ToArray());
        var target = Path.Combine(_directory, "report.json");
        File.WriteAllBytes(target, Previous);
        var result = Cli.Run(["validate", "--format", "json", "-o", target, dump]);
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("{", File.ReadAllText(target).TrimStart(), StringComparison.Ordinal);
        Assert.Empty(Temporaries("report.json"));
    }

    [Fact]
    public void StaleTemporaries_OnlyThoseOfProcessesThatNoLongerRun()
    {
        var dead = DeadPid();
        var staleFile = Path.Combine(_directory, $".x.dump.{dead}.0123abcd.tmp");
        var liveFile = Path.Combine(_directory, $".x.dump.{Environment.ProcessId}.4567ef01.tmp");
        var otherTarget = Path.Combine(_directory, $".y.dump.{dead}.89ab.tmp");
        foreach (var f in new[] { staleFile, liveFile, otherTarget })
        {
            File.WriteAllBytes(f, Previous);
        }

        Assert.Equal([staleFile], AtomicFile.StaleTemporaries(_directory, "x.dump"));
        AtomicFile.Write(Path.Combine(_directory, "x.dump"), s => s.Write(Previous));
        Assert.False(File.Exists(staleFile));
        Assert.True(File.Exists(liveFile));
        Assert.True(File.Exists(otherTarget));
    }

    private static int DeadPid()
    {
        for (var pid = 4_000_000; ; pid--)
        {
            if (!Directory.Exists($"/proc/{pid}"))
            {
                return pid;
            }
        }
    }

    private sealed class FailingSink(Stream stream, long failAfter) : DumpSink
    {
        private long _written;

        public override void Write(ReadOnlySpan<byte> data)
        {
            _written += data.Length;
            if (_written > failAfter)
            {
                throw new IOException("disk full (injected)");
            }

            stream.Write(data);
        }
    }
}
