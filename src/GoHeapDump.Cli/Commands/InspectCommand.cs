using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text;
using GoHeapDump.Validation;
using Spectre.Console;

namespace GoHeapDump.Cli.Commands;

/// <summary>
/// <c>goheapdump inspect FILE</c>: a readable summary of a dump (params, records by kind, object sizes,
/// goroutines, types), or with <c>--jsonl</c> the canonical JSON Lines rendering of every record.
/// Exit 0 when the whole dump was read, 1 when it breaks a structure rule, 3 when it cannot be read.
/// </summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A heap dump file." };
        var jsonl = new Option<bool>("--jsonl") { Description = "Print the canonical JSON Lines rendering (spec/FORMAT.md) instead of the summary." };
        var types = new Option<int>("--types") { Description = "Type names to list in the summary.", DefaultValueFactory = _ => 25 };
        var command = new Command("inspect", "Summarise a heap dump, or print it as canonical JSON Lines.") { file, jsonl, types };
        command.SetAction(result => Run(
            result.GetValue(file)!,
            result.GetValue(jsonl),
            Math.Max(0, result.GetValue(types)),
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string file, bool jsonl, int typeCount, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            return jsonl ? RunJsonl(file, stdout, stderr) : RunSummary(file, typeCount, stdout, stderr);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            stderr.WriteLine($"goheapdump: {file}: {e.Message}");
            return ExitCodes.IoError;
        }
    }

    private static int RunJsonl(string file, TextWriter stdout, TextWriter stderr)
    {
        using var output = stdout == Console.Out ? Console.OpenStandardOutput() : new TextWriterStream(stdout);
        using var writer = new CanonicalJsonlWriter(output, leaveOpen: true);
        HeapDumpReader reader;
        try
        {
            reader = HeapDumpReader.Open(file);
        }
        catch (HeapDumpFormatException e)
        {
            writer.WriteError(e);
            writer.Flush();
            stderr.WriteLine($"goheapdump: {file}: {e.Message}");
            return ExitCodes.FormatError;
        }

        using (reader)
        {
            writer.WriteHeader(reader.Version);
            try
            {
                while (reader.Read() is { } record)
                {
                    writer.WriteRecord(record);
                }
            }
            catch (HeapDumpFormatException e)
            {
                writer.WriteError(e);
                writer.Flush();
                stderr.WriteLine($"goheapdump: {file}: {e.Message}");
                return ExitCodes.FormatError;
            }
        }

        writer.Flush();
        return ExitCodes.Ok;
    }

    private static int RunSummary(string file, int typeCount, TextWriter stdout, TextWriter stderr)
    {
        var console = CliConsole.Create(stdout);
        var summary = new Summary();
        HeapDumpFormatException? error = null;
        try
        {
            using var reader = HeapDumpReader.Open(file);
            reader.ContentsLimit = 16 << 20; // the summary needs contents lengths, not bytes
            summary.Version = reader.Version;
            try
            {
                while (reader.MoveNext())
                {
                    summary.Add(reader.Current);
                }
            }
            catch (HeapDumpFormatException e)
            {
                error = e;
            }

            summary.Bytes = reader.Position;
        }
        catch (HeapDumpFormatException e)
        {
            using var stream = File.OpenRead(file);
            var wrong = InputSniffer.Describe(stream);
            stderr.WriteLine($"goheapdump: {file}: {e.Message}");
            if (wrong is not null)
            {
                stderr.WriteLine($"goheapdump: {file} is {wrong}.");
            }

            return ExitCodes.FormatError;
        }

        summary.Render(console, file, typeCount);
        if (error is not null)
        {
            console.MarkupLine($"[red]The dump ends early: {Markup.Escape(error.Message)}[/]");
            return ExitCodes.FormatError;
        }

        return ExitCodes.Ok;
    }

    /// <summary>What the summary collects; per record it allocates only for new goroutine states and type names.</summary>
    private sealed class Summary
    {
        private readonly KindTally[] _kinds = new KindTally[HeapDumpFormat.MaxRecordTag + 1];
        private readonly long[] _sizeCounts = new long[65];
        private readonly long[] _sizeBytes = new long[65];
        private readonly Dictionary<(ulong Status, string Reason), long> _goroutines = [];
        private readonly Dictionary<string, (ulong Size, long Records)> _types = new(StringComparer.Ordinal);
        private string? _params;
        private string? _producer;
        private string? _memStats;
        private long _systemGoroutines;

        public HeaderVersion Version { get; set; }

        public long Bytes { get; set; }

        public void Add(HeapDumpRecordView v)
        {
            var kind = v.Kind;
            ref var tally = ref _kinds[(int)kind];
            tally = new KindTally(tally.Count + 1, tally.Bytes + v.Length);
            switch (kind)
            {
                case RecordKind.Object:
                    var size = (ulong)v.ContentsLength;
                    var bucket = size == 0 ? 0 : 64 - BitOperations.LeadingZeroCount(size - 1);
                    _sizeCounts[bucket]++;
                    _sizeBytes[bucket] += (long)size;
                    break;
                case RecordKind.Goroutine:
                    var key = (v[GoroutineValues.Status], Encoding.UTF8.GetString(v.Text));
                    _goroutines[key] = _goroutines.GetValueOrDefault(key) + 1;
                    _systemGoroutines += (long)v[GoroutineValues.IsSystem];
                    break;
                case RecordKind.Type:
                    var name = Encoding.UTF8.GetString(v.Text);
                    var known = _types.GetValueOrDefault(name);
                    _types[name] = (v[TypeValues.Size], known.Records + 1);
                    break;
                case RecordKind.Params when _params is null:
                    var arch = HeapDumpFormat.ArchIsString(Version)
                        ? Encoding.UTF8.GetString(v.Text)
                        : DumpProducer.TheCharArch(v[ParamsValues.TheChar]);
                    _params = string.Create(CultureInfo.InvariantCulture,
                        $"{arch}, {v[ParamsValues.PtrSize]}-byte pointers, {(v[ParamsValues.BigEndian] != 0 ? "big" : "little")}-endian, {v[ParamsValues.Ncpu]} CPUs, heap 0x{v[ParamsValues.HeapStart]:x}–0x{v[ParamsValues.HeapEnd]:x}, version info \"{Encoding.UTF8.GetString(v.Text2)}\"");
                    _producer = new DumpProducer(GoVersion.Parse(Encoding.UTF8.GetString(v.Text2), Version), arch,
                        v[ParamsValues.PtrSize], v[ParamsValues.BigEndian] != 0).Describe();
                    break;
                case RecordKind.MemStats when _memStats is null:
                    _memStats = string.Create(CultureInfo.InvariantCulture,
                        $"HeapAlloc {v[6]:N0} B, HeapObjects {v[11]:N0}, HeapSys {v[7]:N0} B, Sys {v[2]:N0} B, NumGC {v[MemStatsValues.NumGC]:N0}");
                    break;
            }
        }

        public void Render(IAnsiConsole console, string file, int typeCount)
        {
            console.MarkupLine(CultureInfo.InvariantCulture, $"[bold]{Markup.Escape(file)}[/]: {HeapDumpFormat.VersionName(Version)} heap dump, {Bytes:N0} bytes");
            console.MarkupLine($"  params: {Markup.Escape(_params ?? "none")}");
            console.MarkupLine($"  producer: {Markup.Escape(_producer ?? "unknown (no params record)")}");
            console.MarkupLine($"  memstats: {Markup.Escape(_memStats ?? "none")}");

            var kinds = new Table().Border(TableBorder.Rounded).Title("records by kind");
            kinds.AddColumn("kind");
            kinds.AddColumn(new TableColumn("count").RightAligned());
            kinds.AddColumn(new TableColumn("bytes").RightAligned());
            foreach (var tag in TextReportWriter.KindOrder)
            {
                if (_kinds[tag].Count > 0)
                {
                    kinds.AddRow(((RecordKind)tag).Name(), N(_kinds[tag].Count), N(_kinds[tag].Bytes));
                }
            }

            console.Write(kinds);

            var sizes = new Table().Border(TableBorder.Rounded).Title("object sizes");
            sizes.AddColumn("size");
            sizes.AddColumn(new TableColumn("objects").RightAligned());
            sizes.AddColumn(new TableColumn("bytes").RightAligned());
            for (var b = 0; b < _sizeCounts.Length; b++)
            {
                if (_sizeCounts[b] > 0)
                {
                    sizes.AddRow(SizeLabel(b), N(_sizeCounts[b]), N(_sizeBytes[b]));
                }
            }

            console.Write(sizes);

            if (_goroutines.Count > 0)
            {
                var goroutines = new Table().Border(TableBorder.Rounded)
                    .Title(string.Create(CultureInfo.InvariantCulture, $"goroutines ({N(_goroutines.Values.Sum())}, {N(_systemGoroutines)} system)"));
                goroutines.AddColumn("status");
                goroutines.AddColumn("wait reason");
                goroutines.AddColumn(new TableColumn("count").RightAligned());
                foreach (var ((status, reason), count) in _goroutines.OrderByDescending(p => p.Value).ThenBy(p => p.Key.Status))
                {
                    goroutines.AddRow(StatusName(status), Markup.Escape(reason.Length == 0 ? "—" : reason), N(count));
                }

                console.Write(goroutines);
            }

            if (_types.Count > 0 && typeCount > 0)
            {
                var types = new Table().Border(TableBorder.Rounded)
                    .Title(string.Create(CultureInfo.InvariantCulture, $"types ({N(_types.Count)} names in {N(_kinds[(int)RecordKind.Type].Count)} records; first {Math.Min(typeCount, _types.Count)} by name)"));
                types.AddColumn("name");
                types.AddColumn(new TableColumn("size").RightAligned());
                types.AddColumn(new TableColumn("records").RightAligned());
                foreach (var (name, (size, records)) in _types.OrderBy(p => p.Key, StringComparer.Ordinal).Take(typeCount))
                {
                    types.AddRow(Markup.Escape(name), N((long)size), N(records));
                }

                console.Write(types);
            }
        }

        private static string SizeLabel(int bucket) => bucket switch
        {
            0 => "0",
            1 => "1",
            _ => $"{N((1L << (bucket - 1)) + 1)}–{(bucket >= 63 ? "∞" : N(1L << bucket))}",
        };

        // Go: runtime2.go _Grunnable = 1, _Gsyscall = 3, _Gwaiting = 4.
        private static string StatusName(ulong status) => status switch
        {
            1 => "runnable",
            3 => "syscall",
            4 => "waiting",
            _ => $"status {status}",
        };

        private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
    }

    /// <summary>Bytes to a TextWriter (UTF-8), for JSONL into a captured writer.</summary>
    private sealed class TextWriterStream(TextWriter writer) : Stream
    {
        private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var chars = new char[_decoder.GetCharCount(buffer, flush: false)];
            _decoder.GetChars(buffer, chars, flush: false);
            writer.Write(chars);
        }

        public override void Flush() => writer.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
