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

    /// <summary>
    /// A device cannot be replaced by a file without destroying it: run as root, generate once moved its temporary file
    /// over /dev/null. It is written directly, and stays a device (reading /dev/null gives nothing; a regular file put
    /// in its place would give the dump back).
    /// </summary>
    [Fact]
    public void Generate_ToDevNull_WritesThroughTheDeviceAndLeavesIt()
    {
        var result = Cli.Run(["generate", "--seed", "1", "--objects", "1000", "--out", "/dev/null"]);
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("/dev/null: written, go", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(File.ReadAllBytes("/dev/null"));
        Assert.Empty(Directory.GetFiles("/dev", ".null.*.tmp"));
    }

    /// <summary>A named pipe gets the bytes through it, in order, and is still a pipe afterwards.</summary>
    [Fact]
    public async Task Write_ToNamedPipe_TheReaderGetsTheBytesAndThePipeStays()
    {
        var pipe = Path.Combine(_directory, "pipe");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [pipe]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var payload = new byte[300_000]; // more than a pipe's buffer: the writer must wait for the reader
        new Random(7).NextBytes(payload);
        var reading = Task.Run(() => File.ReadAllBytes(pipe));
        AtomicFile.Write(pipe, s => s.Write(payload));
        Assert.Equal(payload, await reading.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal([Path.GetFileName(pipe)], Directory.GetFileSystemEntries(_directory).Select(Path.GetFileName));
        Assert.True(FileKind.IsSpecial(pipe));
    }

    /// <summary>
    /// An existing file is replaced, not rewritten in place (on Linux by exchanging the two names, then deleting the
    /// previous file): a hard link to the previous file keeps its bytes, and no temporary is left.
    /// </summary>
    [Fact]
    public void Write_OverAnExistingFile_ReplacesItAndLeavesNoTemporary()
    {
        var target = Path.Combine(_directory, "out.dump");
        File.WriteAllBytes(target, Previous);
        var other = Path.Combine(_directory, "other-name");
        using (var ln = System.Diagnostics.Process.Start("ln", [target, other]))
        {
            ln.WaitForExit();
            Assert.Equal(0, ln.ExitCode);
        }

        AtomicFile.Write(target, s => s.Write("new"u8));
        Assert.Equal("new"u8.ToArray(), File.ReadAllBytes(target));
        Assert.Equal(Previous, File.ReadAllBytes(other));
        Assert.Empty(Temporaries("out.dump"));
        Assert.Equal(["other-name", "out.dump"], Directory.GetFileSystemEntries(_directory).Select(Path.GetFileName).Order());
    }

    /// <summary>A symbolic link is followed: the file it names gets the new bytes, and the link stays a link.</summary>
    [Fact]
    public void Write_ThroughSymbolicLinks_ReplacesTheFileTheyNameAndKeepsTheLinks()
    {
        var real = Path.Combine(_directory, "real.json");
        File.WriteAllBytes(real, Previous);
        var link = Path.Combine(_directory, "link.json");
        File.CreateSymbolicLink(link, "real.json");
        var linkToLink = Path.Combine(_directory, "link2.json");
        File.CreateSymbolicLink(linkToLink, link);

        AtomicFile.Write(linkToLink, s => s.Write("new"u8));
        Assert.Equal("new"u8.ToArray(), File.ReadAllBytes(real));
        Assert.Equal("real.json", new FileInfo(link).LinkTarget);
        Assert.Equal(link, new FileInfo(linkToLink).LinkTarget);
        Assert.Empty(Temporaries("real.json"));
        Assert.Empty(Temporaries("link2.json"));

        // A link to nothing yet: the file is created where it points.
        var dangling = Path.Combine(_directory, "dangling.json");
        File.CreateSymbolicLink(dangling, "created.json");
        AtomicFile.Write(dangling, s => s.Write("made"u8));
        Assert.Equal("made"u8.ToArray(), File.ReadAllBytes(Path.Combine(_directory, "created.json")));
        Assert.Equal("created.json", new FileInfo(dangling).LinkTarget);
    }

    [Fact]
    public void IsSpecial_DevicesAndPipesOnly()
    {
        Assert.True(FileKind.IsSpecial("/dev/null"));
        Assert.True(FileKind.IsSpecial("/dev/zero"));
        Assert.False(FileKind.IsSpecial(_directory));
        var file = Path.Combine(_directory, "plain");
        File.WriteAllBytes(file, Previous);
        Assert.False(FileKind.IsSpecial(file));
        Assert.False(FileKind.IsSpecial(Path.Combine(_directory, "absent")));
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
