using System.Diagnostics;
using System.Globalization;
using GoHeapDump.Fuzz;
using SharpFuzz;

// GoHeapDump.Fuzz TARGET              under afl-fuzz (see run-fuzz): SharpFuzz's loop, one input per run from AFL++;
//                                     without AFL++, one input from standard input.
// GoHeapDump.Fuzz TARGET PATH…        replay: runs TARGET on every file (directories: every file in them),
//                                     prints a line per failure and a summary; exit 1 when any input fails.
// GoHeapDump.Fuzz seeds DIR         writes the small hand-built seed dumps (Seeds.cs) into DIR.
// TARGET: parse-fast, parse-kaitai, validate, differential, or all (every check on every input).
if (args is ["seeds", var seedDirectory])
{
    Console.WriteLine($"{GoHeapDump.Fuzz.Seeds.Write(seedDirectory)} seeds written to {seedDirectory}");
    return 0;
}

if (args.Length == 0 || FuzzTargets.Get(args[0]) is null)
{
    Console.Error.WriteLine($"usage: GoHeapDump.Fuzz TARGET [PATH…]   (TARGET: {string.Join(", ", FuzzTargets.Names)})");
    return 2;
}

if (args.Length == 1)
{
    var target = FuzzTargets.Get(args[0])!;
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        target(buffer.ToArray());
    });
    return 0;
}

var targets = args[0] == "all" ? FuzzTargets.Names.Where(n => n != "all").ToList() : [args[0]];
var files = args.Skip(1)
    .SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal) : (IEnumerable<string>)[p])
    .Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".md", StringComparison.Ordinal))
    .ToList();
var failures = 0;
var clock = Stopwatch.StartNew();
foreach (var file in files)
{
    var input = File.ReadAllBytes(file);
    foreach (var name in targets)
    {
        try
        {
            FuzzTargets.Get(name)!(input);
        }
        catch (Exception e)
        {
            failures++;
            Console.WriteLine($"FAIL {name} {file}: {e.GetType().Name}: {e.Message}");
        }
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{files.Count} inputs × {targets.Count} targets in {clock.Elapsed.TotalSeconds:F1} s: {failures} failures"));
return failures == 0 ? 0 : 1;
