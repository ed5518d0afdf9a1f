using System.Diagnostics;
using GoHeapDump.Kaitai;
using GoHeapDump.Testing;
using Ksy = Kaitai.GoHeapdump;

namespace GoHeapDump.Kaitai.Tests;

public class GeneratedCodeTests
{

    /// <summary>Skips when a tool is missing, except in CI (GOHEAPDUMP_CI=1), where a missing tool is a failure.</summary>
    private static void RequireTool(bool present, string reason)
    {
        if (present)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("GOHEAPDUMP_CI") == "1")
        {
            Assert.Fail($"{reason} (GOHEAPDUMP_CI=1: CI must install it; see .ci/run)");
        }

        Skip.If(true, reason);
    }

    private static bool NodeExists()
    {
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            node!.WaitForExit();
            return node.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    [SkippableFact]
    public void CheckedInCSharp_MatchesFreshCompileOfTheKsy()
    {
        var root = RepositoryRoot.Path;
        var spec = Path.Combine(root, "spec");
        RequireTool(NodeExists(), "node is not installed");
        RequireTool(File.Exists(Path.Combine(spec, "node_modules", "kaitai-struct-compiler", "kaitai-struct-compiler.js")),
            "spec/node_modules is missing: run 'cd spec && npm ci'");

        var outDir = Path.Combine(Path.GetTempPath(), $"ksc-{Guid.NewGuid():N}");
        try
        {
            var start = new ProcessStartInfo("node")
            {
                WorkingDirectory = spec,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { "ksc.js", "csharp", "go_heapdump.ksy", outDir, "--debug" })
            {
                start.ArgumentList.Add(arg);
            }

            using var ksc = Process.Start(start)!;
            var stderr = ksc.StandardError.ReadToEndAsync();
            ksc.StandardOutput.ReadToEnd();
            ksc.WaitForExit();
            Assert.True(ksc.ExitCode == 0, $"ksc failed: {stderr.Result}");

            var fresh = File.ReadAllText(Path.Combine(outDir, "GoHeapdump.cs"));
            var checkedIn = File.ReadAllText(Path.Combine(root, "src", "GoHeapDump.Kaitai", "Generated", "GoHeapdump.cs"));
            Assert.True(fresh == checkedIn,
                "src/GoHeapDump.Kaitai/Generated/GoHeapdump.cs is stale or edited: run spec/generate and commit the result");
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }
    }

    [Fact]
    public void SeqFields_FollowKsyOrder()
    {
        // Orders written from spec/go_heapdump.ksy; the error paths depend on them.
        Assert.Equal(
            ["_address", "_sp", "_goid", "_gopc", "_status", "_isSystem", "_isBackground", "_waitSince", "_waitReason", "_ctxt", "_m", "_topDefer", "_topPanic"],
            PartialRead.SeqFields(typeof(Ksy.GoroutineRecord)).Select(f => f.Name));
        Assert.Equal(
            ["_bigEndian", "_ptrSize", "_heapStart", "_heapEnd", "_arch", "_thechar", "_versionInfo", "_ncpu"],
            PartialRead.SeqFields(typeof(Ksy.ParamsRecord)).Select(f => f.Name));
        Assert.Equal(["_tagCode", "_tagIsKnown", "_body"], PartialRead.SeqFields(typeof(Ksy.Record)).Select(f => f.Name));
        Assert.Equal(["_kindCode", "_kindIsKnown", "_offset"], PartialRead.SeqFields(typeof(Ksy.Field)).Select(f => f.Name));
        Assert.Equal(["_b0", "_b1", "_b2", "_b3", "_b4", "_b5", "_b6", "_b7", "_b8", "_b9"], PartialRead.SeqFields(typeof(Ksy.Uvarint)).Select(f => f.Name));
        Assert.Equal(["_magicPrefix", "_minor", "_magicSuffix"], PartialRead.SeqFields(typeof(Ksy.DumpHeader)).Select(f => f.Name));
        Assert.Equal(26, PartialRead.SeqFields(typeof(Ksy.MemStatsRecord)).Length);
    }

    [Theory]
    [InlineData(typeof(Ksy.MemProfFrame), "mem_prof_frame")]
    [InlineData(typeof(Ksy.GoBool), "go_bool")]
    [InlineData(typeof(Ksy.Uvarint), "uvarint")]
    [InlineData(typeof(Ksy.QueuedFinalizerRecord), "queued_finalizer_record")]
    public void KsyTypeName_MapsClassBackToKsyId(Type type, string expected)
    {
        Assert.Equal(expected, PartialRead.KsyTypeName(type));
    }

    [Fact]
    public void WholeFileType_ParsesSampleAndRejectsTrailingBytes()
    {
        // The generated top-level type (header, records until EOF, end-of-input check) on its own.
        var bytes = SampleDumps.EveryKindGo17().ToArray();
        var dump = new Ksy(new global::Kaitai.KaitaiStream(bytes));
        dump._read();
        Assert.Equal(18, dump.Records.Count);
        Assert.Equal(Ksy.Tag.AllocSample, dump.Records[16].Tag);

        var trailing = new Ksy(new global::Kaitai.KaitaiStream([.. bytes, 0]));
        var e = Assert.Throws<global::Kaitai.ValidationExprError>(trailing._read);
        Assert.Equal("/seq/2", e.SrcPath);
    }
}
