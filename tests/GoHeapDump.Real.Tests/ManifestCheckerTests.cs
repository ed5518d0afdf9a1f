using System.Text.Json.Nodes;
using GoHeapDump.Real.Tests.Checking;
using GoHeapDump.Real.Tests.Infrastructure;
using GoHeapDump.Real.Tests.Manifests;

namespace GoHeapDump.Real.Tests;

/// <summary>
/// The checker can fail: a real dump checked against its own manifest with one fact changed fails exactly the checks
/// that fact feeds, and a real dump with one record changed fails the check that record feeds. Without these, a
/// checker that passed everything would pass CommittedDumpTests too.
/// </summary>
public sealed class ManifestCheckerTests
{
    private const string GcBasic = "gc-go1.19.8-linux-amd64/basic";
    private const string GccgoBasic = "gccgo-12.2.0-linux-amd64/basic";
    private const string ManyItabs = "gc-go1.19.8-linux-amd64/many-itabs";

    private static IReadOnlyList<HeapDumpRecord> Records(string id) => RealDumpCatalog.Records(id);

    /// <summary>Checks the dump against its manifest after <paramref name="mutate"/> changed the manifest JSON.</summary>
    private static CheckReport CheckWithManifest(string id, Action<JsonNode> mutate)
    {
        var dump = RealDumpCatalog.Get(id);
        var json = JsonNode.Parse(File.ReadAllText(dump.ManifestPath))!;
        mutate(json);
        var manifest = ProbeManifest.Parse(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()), dump.ManifestPath + " (mutated)");
        using var reader = new ListReader(Records(id));
        return ManifestChecker.Check(manifest, reader, id);
    }

    /// <summary>Checks the dump, with <paramref name="change"/> applied to its records, against its real manifest.</summary>
    private static CheckReport CheckWithRecords(string id, Func<IReadOnlyList<HeapDumpRecord>, IReadOnlyList<HeapDumpRecord>> change)
    {
        var dump = RealDumpCatalog.Get(id);
        using var reader = new ListReader(change(Records(id)));
        return ManifestChecker.Check(dump.LoadManifest(), reader, id);
    }

    private static void AssertFailedExactly(CheckReport report, params string[] ids)
    {
        var failed = report.Results.Where(r => !r.Passed).Select(r => r.Id).Distinct().Order(StringComparer.Ordinal).ToArray();
        Assert.True(ids.Order(StringComparer.Ordinal).SequenceEqual(failed),
            $"expected failures [{string.Join(", ", ids)}], got [{string.Join(", ", failed)}]\n{report.Describe()}");
    }

    private static JsonNode Object(JsonNode m, string name) =>
        m["objects"]!.AsArray().First(o => (string)o!["name"]! == name)!;

    private static JsonNode Goroutine(JsonNode m, string role) =>
        m["goroutines"]!["created"]!.AsArray().First(g => (string)g!["role"]! == role)!;

    private static string Hex(ulong v) => $"0x{v:x}";

    private static ulong ParseHex(JsonNode? node) => Convert.ToUInt64(((string)node!)[2..], 16);

    [Theory]
    [InlineData(GcBasic)]
    [InlineData(GccgoBasic)]
    [InlineData(ManyItabs)]
    public void Check_UnchangedManifest_PassesEveryCheck(string id)
    {
        var report = CheckWithManifest(id, _ => { });

        Assert.True(report.AllPassed, report.Describe());
        Assert.True(report.Results.Count > 300, $"only {report.Results.Count} checks ran");
    }

    [Fact]
    public void Check_WrongByteOrder_FailsParamsAndEveryWordComparison()
    {
        var report = CheckWithManifest(GcBasic, m => m["go"]!["byte_order"] = "big");

        AssertFailedExactly(report, "params.byte-order", "object.pointer-word", "global.word");
    }

    [Fact]
    public void Check_WrongPointerSize_FailsParamsAndWordComparisons()
    {
        var report = CheckWithManifest(GcBasic, m => m["go"]!["ptr_size"] = 4);

        // 4-byte little-endian reads of 64-bit heap pointers see only their low halves.
        AssertFailedExactly(report, "params.ptr-size", "object.pointer-word", "global.word");
    }

    [Theory]
    [InlineData("goarch", "arm64", "params.arch")]
    [InlineData("version", "go1.19.9", "params.version")]
    public void Check_WrongPlatformString_FailsItsParamsCheck(string key, string value, string check)
    {
        var report = CheckWithManifest(GcBasic, m => m["go"]![key] = value);

        AssertFailedExactly(report, check);
    }

    [Fact]
    public void Check_WrongCpuCount_FailsParamsNcpu()
    {
        var report = CheckWithManifest(GcBasic, m => m["go"]!["num_cpu"] = (int)m["go"]!["num_cpu"]! + 1);

        AssertFailedExactly(report, "params.ncpu");
    }

    [Fact]
    public void Check_ObjectAddressInsideAnotherObject_FailsObjectExists()
    {
        // 8 bytes into node[3]: an interior address, not the start of an object record (nor of a profiled one).
        var report = CheckWithManifest(GcBasic, m =>
        {
            var node = Object(m, "node[3]");
            node["address"] = Hex(ParseHex(node["address"]) + 8);
        });

        AssertFailedExactly(report, "object.exists", "object.alloc-sample");
    }

    [Fact]
    public void Check_ChangedMarkerByte_FailsObjectMarker()
    {
        var report = CheckWithManifest(GcBasic, m =>
        {
            var marker = Object(m, "node[2].Blob")["markers"]![0]!;
            var bytes = (string)marker["bytes"]!;
            marker["bytes"] = bytes[..^2] + (bytes[^2..] == "30" ? "31" : "30");
        });

        AssertFailedExactly(report, "object.marker");
    }

    [Fact]
    public void Check_MarkerPastTheSlot_FailsObjectMarker()
    {
        // node[0].Name is a 16-byte string in a 16-byte size class: offset 16 is past the record's contents.
        var report = CheckWithManifest(GcBasic, m => Object(m, "node[0].Name")["markers"]![0]!["offset"] = 16);

        AssertFailedExactly(report, "object.marker");
    }

    [Fact]
    public void Check_WrongPointerTarget_FailsPointerWord()
    {
        var report = CheckWithManifest(GcBasic, m =>
        {
            var next = Object(m, "node[4]")["pointers"]![0]!;
            next["target"] = Hex(ParseHex(next["target"]) + 0x60);
        });

        AssertFailedExactly(report, "object.pointer-word");
    }

    [Fact]
    public void Check_PointerClaimedAtAScalarField_FailsPointerFieldAndWord()
    {
        // main.Node's ID (a scalar) is at +32: not a pointer field, and it does not hold Next's target.
        var report = CheckWithManifest(GcBasic, m => Object(m, "node[1]")["pointers"]![0]!["offset"] = 32);

        AssertFailedExactly(report, "object.pointer-field", "object.pointer-word");
    }

    [Fact]
    public void Check_PointerObjectClaimedNoscan_FailsNoscan()
    {
        var report = CheckWithManifest(GcBasic, m => Object(m, "node[6]")["noscan"] = true);

        AssertFailedExactly(report, "object.noscan");
    }

    [Fact]
    public void Check_WrongPointerWordCount_FailsPointerWords()
    {
        var report = CheckWithManifest(GcBasic, m => Object(m, "large-pointers")["pointer_words"] = 5001);

        AssertFailedExactly(report, "object.pointer-words");
    }

    [Fact]
    public void Check_InterfaceDataWordClaimedAsTabWord_FailsOnGc()
    {
        // +88 is Desc's data word, which gc lists; the tab word (+80) it does not.
        var report = CheckWithManifest(GcBasic, m => Object(m, "node[0]")["iface_tab_offsets"] = new JsonArray(88));

        AssertFailedExactly(report, "object.iface-tab-word");
    }

    [Fact]
    public void Check_InterfaceDataWordClaimedAsTabWord_PassesOnGccgo()
    {
        // gccgo lists both words of an interface value, so a listed word passes either way there...
        var report = CheckWithManifest(GccgoBasic, m => Object(m, "node[0]")["iface_tab_offsets"] = new JsonArray(88));

        Assert.True(report.AllPassed, report.Describe());
    }

    [Fact]
    public void Check_UnlistedWordClaimedAsTabWord_FailsOnGccgo()
    {
        // ...but main.Node's ID (+32, a scalar) is listed by neither producer, and gccgo must list a tab word.
        var report = CheckWithManifest(GccgoBasic, m => Object(m, "node[0]")["iface_tab_offsets"] = new JsonArray(32));

        AssertFailedExactly(report, "object.iface-tab-word");
    }

    [Fact]
    public void Check_GlobalPointingElsewhere_FailsGlobalWord()
    {
        var report = CheckWithManifest(GcBasic, m => m["globals"]![0]!["points_to"] = "0xc000094240");

        AssertFailedExactly(report, "global.word");
    }

    [Fact]
    public void Check_GlobalOutsideItsSegment_FailsGlobalSegment()
    {
        // main.bssRoot claimed to be in .data: the data record does not cover the bss address.
        var report = CheckWithManifest(GcBasic, m => m["globals"]![0]!["segment"] = "data");

        AssertFailedExactly(report, "global.segment");
    }

    [Fact]
    public void Check_ItabWithAnotherType_FailsItabExists()
    {
        var report = CheckWithManifest(GcBasic, m => m["itabs"]![0]!["type"] = m["itabs"]![1]!["type"]!.DeepClone());

        AssertFailedExactly(report, "itab.exists");
    }

    [Fact]
    public void Check_UnknownItab_FailsItabExists()
    {
        var report = CheckWithManifest(GcBasic, m => m["itabs"]![2]!["tab"] = "0x10");

        AssertFailedExactly(report, "itab.exists");
    }

    [Theory]
    [InlineData("min_distinct_itabs", 4513, "itab.distinct-itabs")]
    [InlineData("min_distinct_types", 1513, "itab.distinct-types")]
    public void Check_ItabSummaryAboveWhatTheDumpHolds_Fails(string key, int value, string check)
    {
        // The dump holds 4,512 distinct itabs and 1,512 distinct types.
        var report = CheckWithManifest(ManyItabs, m => m["itab_summary"]![key] = value);

        AssertFailedExactly(report, check);
    }

    [Fact]
    public void Check_LiveAndQueuedFinalizersSwapped_FailsBoth()
    {
        var report = CheckWithManifest(GcBasic, m =>
        {
            var f = m["finalizers"]!;
            (f["live"], f["queued"]) = (f["queued"]!.DeepClone(), f["live"]!.DeepClone());
            f["running"] = f["live"]![0]!.DeepClone();
        });

        AssertFailedExactly(report, "finalizer.live", "finalizer.queued");
    }

    [Fact]
    public void Check_RunningFinalizerNotQueued_FailsRunning()
    {
        var report = CheckWithManifest(GcBasic, m => m["finalizers"]!["running"] = m["finalizers"]!["live"]![0]!.DeepClone());

        AssertFailedExactly(report, "finalizer.running");
    }

    [Fact]
    public void Check_MissingQueuedFinalizerOnGccgo_SaysProbeProblem()
    {
        var report = CheckWithManifest(GccgoBasic, m => m["finalizers"]!["queued"]!.AsArray().Add("0xc000000010"));

        var failure = Assert.Single(report.Results, r => !r.Passed);
        Assert.Equal("finalizer.queued", failure.Id);
        Assert.Contains("a probe problem", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status", 1, "goroutine.status")]
    [InlineData("wait_reason", "chan send", "goroutine.wait-reason")]
    [InlineData("function", "main.parkChanSend", "goroutine.frames-named")]
    [InlineData("goid", 100000, "goroutine.present")]
    public void Check_WrongGoroutineFact_FailsItsCheck(string key, object value, string check)
    {
        var report = CheckWithManifest(GcBasic, m => Goroutine(m, "chan-recv")[key] = value switch
        {
            int i => JsonValue.Create(i),
            string text => JsonValue.Create(text),
            _ => throw new ArgumentException("int or string", nameof(value)),
        });

        AssertFailedExactly(report, check);
    }

    [Fact]
    public void Check_WrongGoroutineFunctionOnGccgo_IsNotChecked()
    {
        // gccgo writes no frames, so the function name cannot be and is not checked.
        var report = CheckWithManifest(GccgoBasic, m => Goroutine(m, "chan-recv")["function"] = "main.nowhere");

        Assert.True(report.AllPassed, report.Describe());
        Assert.Empty(report.WithId("goroutine.frames-named"));
    }

    [Fact]
    public void Check_GoroutineCountOffByOne_FailsCount()
    {
        var report = CheckWithManifest(GcBasic, m => m["dump"]!["num_goroutine"] = (int)m["dump"]!["num_goroutine"]! - 1);

        AssertFailedExactly(report, "goroutine.count");
    }

    [Fact]
    public void Check_DumperIsARunnableGoroutine_FailsDumper()
    {
        var report = CheckWithManifest(GcBasic, m => m["dump"]!["dumper_goid"] = (int)Goroutine(m, "runnable")["goid"]!);

        AssertFailedExactly(report, "goroutine.dumper");
    }

    [Fact]
    public void Check_WrongPanicValue_FailsPanicValue()
    {
        var report = CheckWithManifest(GcBasic, m => m["panics"]![0]!["value_data"] = "0xc0000a2140");

        AssertFailedExactly(report, "panic.value");
    }

    [Fact]
    public void Check_OneDeferStatementMore_FailsPanicDefers()
    {
        var report = CheckWithManifest(GcBasic, m => m["panics"]![0]!["defers"]![0]!["defer_statements"] = 4);

        AssertFailedExactly(report, "panic.defers");
    }

    [Fact]
    public void Check_PanicOnAGoroutineWithoutOne_FailsPanicPresent()
    {
        var report = CheckWithManifest(GcBasic, m => m["panics"]![0]!["goid"] = (int)Goroutine(m, "sleep")["goid"]!);

        AssertFailedExactly(report, "panic.present");
    }

    // A manifest fact about the release that is not true for the dump's release fails that dump's check: each one is
    // what the probe learnt at run time (the manifest's runtime section, ReleaseFactTests), set to another release's value.
    [Fact]
    public void Check_Go121DumperClaimedStale_FailsDumperWaitReason()
    {
        var report = CheckWithManifest("gc-go1.21.13-linux-amd64/basic", m => m["runtime"]!["dumper_wait_reason"] = "chan receive");

        AssertFailedExactly(report, "goroutine.dumper-wait-reason");
    }

    [Fact]
    public void Check_Go124MutexParkClaimedSemacquire_FailsWaitReason()
    {
        // The 1.19 name of a sync.Mutex park, on a release that splits it.
        var report = CheckWithManifest("gc-go1.24.4-linux-amd64/basic", m => Goroutine(m, "mutex")["wait_reason"] = "semacquire");

        AssertFailedExactly(report, "goroutine.wait-reason");
    }

    [Fact]
    public void Check_Go122PanicClaimedToKeepExecutedDefers_FailsPanicDefers()
    {
        var report = CheckWithManifest("gc-go1.22.12-linux-amd64/basic", m => m["panics"]![0]!["defer_records"] = 4);

        AssertFailedExactly(report, "panic.defers");
    }

    [Fact]
    public void Check_Go122LargeObjectClaimedWithoutSpanTiling_FailsPointerWords()
    {
        // 5,000: the [5000]*Node array's own words, what Go 1.21 lists; 1.22 lists the 5,120 of its page-rounded span.
        var report = CheckWithManifest("gc-go1.22.12-linux-amd64/basic", m => Object(m, "large-pointers")["pointer_words"] = 5000);

        AssertFailedExactly(report, "object.pointer-words");
    }

    [Fact]
    public void Check_Go126FinalizerClaimedToRunInRunfinq_FailsEntryFrame()
    {
        // runtime.runfinq: the finalizer goroutine's function through Go 1.24; 1.26 calls it runtime.runFinalizers.
        var report = CheckWithManifest("gc-go1.26.10-linux-amd64/basic", m => Goroutine(m, "finalizer")["entry_function"] = "runtime.runfinq");

        AssertFailedExactly(report, "goroutine.entry-frame");
    }

    [Fact]
    public void Check_Go126EmptyClaimedWithoutProfileBuckets_FailsMemProfBuckets()
    {
        var report = CheckWithManifest("gc-go1.26.10-linux-amd64/empty", m => m["runtime"]!["profile_buckets"] = false);

        AssertFailedExactly(report, "memprof.buckets");
    }

    [Fact]
    public void Check_ProfilingClaimedOff_FailsMemProfAbsent()
    {
        var report = CheckWithManifest(GcBasic, m => m["go"]!["mem_profile_rate"] = 0);

        AssertFailedExactly(report, "memprof.absent");
    }

    [Fact]
    public void Check_ProfilingClaimedOnForEmpty_FailsMemProfPresent()
    {
        var report = CheckWithManifest("gc-go1.19.8-linux-amd64/empty", m => m["memprof"] = new JsonObject { ["rate"] = 1 });

        AssertFailedExactly(report, "memprof.present");
    }

    [Theory]
    [InlineData("TotalAlloc", "memstats.TotalAlloc")] // cumulative: must lie between the snapshots
    [InlineData("HeapAlloc", "memstats.HeapAlloc")]   // gauge: within 1 MiB of them
    [InlineData("HeapObjects", "memstats.HeapObjects")] // count: within 256
    [InlineData("NextGC", "memstats.NextGC")]         // changes only with a GC
    public void Check_MemStatsSnapshotsFarFromTheDump_FailsThatStat(string name, string check)
    {
        var report = CheckWithManifest(GcBasic, m =>
        {
            foreach (var when in new[] { "before", "after" })
            {
                var stats = m["dump"]!["memstats"]![when]!;
                stats[name] = (ulong.Parse((string)stats[name]!, System.Globalization.CultureInfo.InvariantCulture) + (2 << 20)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        });

        AssertFailedExactly(report, check);
    }

    [Fact]
    public void Check_GcDumpWithGccgoProfile_FailsTheAbsenceChecks()
    {
        // A gc dump claimed to come from gccgo: gccgo writes no frames, types, itabs, data or bss, and lists tab words.
        var report = CheckWithManifest(GcBasic, m => m["go"]!["compiler"] = "gccgo");

        AssertFailedExactly(report, "producer.no-frames", "producer.no-types-itabs", "producer.no-data-bss", "object.iface-tab-word");
    }

    [Fact]
    public void Check_GccgoDumpWithGcProfile_FailsWhatGcWrites()
    {
        var report = CheckWithManifest(GccgoBasic, m => m["go"]!["compiler"] = "gc");

        // gccgo's version string ("unknown") happens to equal its runtime.Version(), so params.version passes.
        AssertFailedExactly(report, "frames.chain", "goroutine.frames-named", "itab.exists", "global.segment", "object.iface-tab-word");
    }

    [Fact]
    public void Check_UnknownCompiler_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => CheckWithManifest(GcBasic, m => m["go"]!["compiler"] = "gollvm"));

        Assert.Contains("gollvm", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_FrameWithWrongChildSp_FailsFrameChain()
    {
        var report = CheckWithRecords(GcBasic, records =>
        {
            var changed = records.ToArray();
            var i = Array.FindIndex(changed, r => r is StackFrameRecord { Depth: 2 });
            changed[i] = ((StackFrameRecord)changed[i]) with { ChildSp = ((StackFrameRecord)changed[i]).ChildSp + 8 };
            return changed;
        });

        AssertFailedExactly(report, "frames.chain");
    }

    [Fact]
    public void Check_GoroutineSpNotItsFirstFrame_FailsFrameChain()
    {
        var report = CheckWithRecords(GcBasic, records =>
        {
            var changed = records.ToArray();
            var i = Array.FindLastIndex(changed, r => r is GoroutineRecord);
            changed[i] = ((GoroutineRecord)changed[i]) with { Sp = ((GoroutineRecord)changed[i]).Sp - 16 };
            return changed;
        });

        AssertFailedExactly(report, "frames.chain");
    }

    [Fact]
    public void Check_FrameDepthSkipped_FailsFrameChain()
    {
        var report = CheckWithRecords(GcBasic, records =>
        {
            var changed = records.ToList();
            changed.RemoveAt(changed.FindIndex(r => r is StackFrameRecord { Depth: 1 }));
            return changed;
        });

        AssertFailedExactly(report, "frames.chain");
    }

    [Fact]
    public void Check_SecondParamsRecord_FailsParamsCount()
    {
        var report = CheckWithRecords(GcBasic, records => [records[0], .. records]);

        AssertFailedExactly(report, "params.count");
    }

    [Fact]
    public void Check_ObjectOutsideTheHeapRange_FailsHeapRange()
    {
        var report = CheckWithRecords(GcBasic, records =>
        {
            var p = records.OfType<ParamsRecord>().Single();
            var stray = new ObjectRecord(p.HeapEnd, GoString.Copy(new byte[16]), Array.Empty<Field>());
            return [.. records.Take(2), stray, .. records.Skip(2)];
        });

        AssertFailedExactly(report, "params.heap-range");
    }

    [Fact]
    public void Check_OtherRootRecord_FailsProducerCheck()
    {
        var report = CheckWithRecords(GcBasic, records => [records[0], new OtherRootRecord(GoString.FromText("x"), 0), .. records.Skip(1)]);

        AssertFailedExactly(report, "producer.no-other-root");
    }

    [Fact]
    public void Check_NoEofRecord_FailsDumpParses()
    {
        var report = CheckWithRecords(GcBasic, records => records.Take(records.Count - 1).ToArray());

        AssertFailedExactly(report, "dump.parses");
    }

    [Fact]
    public void Check_ReaderThrowsFormatError_ReportsItAsAFailedCheck()
    {
        var dump = RealDumpCatalog.Get(GcBasic);
        using var raw = dump.OpenDecompressed();
        var bytes = new byte[100_000];
        raw.ReadExactly(bytes);
        using var reader = GoHeapDump.Kaitai.KaitaiHeapDumpReader.Open(new MemoryStream(bytes));

        var report = ManifestChecker.Check(dump.LoadManifest(), reader, GcBasic + " (first 100,000 bytes)");

        var failure = Assert.Single(report.Results, r => !r.Passed);
        Assert.Equal("dump.parses", failure.Id);
        Assert.Contains("S07", failure.Message, StringComparison.Ordinal);
    }
}
