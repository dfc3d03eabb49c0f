using System.Text;

namespace Flowhive.Hosting;

/// <summary>
/// Parses command lines and config files the way nProbe and ntopng read them (getopt_long semantics):
/// <c>-i eth0</c>, <c>-ieth0</c>, <c>-i=eth0</c>, <c>--interface eth0</c>, <c>--interface=eth0</c>, bare flags,
/// repeated options. A first argument that does not start with '-' is a config file with one option per
/// line (<c>--zmq=tcp://*:5556</c>, <c>-i=eth1</c>, <c># comments</c>, surrounding quotes stripped); options
/// after it on the command line are read after the file, so they win.
/// </summary>
public sealed class CommandLineParser
{
    private readonly Dictionary<string, OptionSpec> _byLong = new(StringComparer.Ordinal);
    private readonly Dictionary<char, OptionSpec> _byShort = [];

    public CommandLineParser(string program, string summary, IEnumerable<OptionSpec> options)
    {
        Program = program;
        Summary = summary;
        Options = [.. options];
        foreach (var o in Options)
        {
            if (!_byLong.TryAdd(o.LongName, o))
            {
                throw new ArgumentException($"duplicate option --{o.LongName}");
            }

            if (o.ShortName is { } s && !_byShort.TryAdd(s, o))
            {
                throw new ArgumentException($"duplicate option -{s}");
            }
        }
    }

    public string Program { get; }

    public string Summary { get; }

    public IReadOnlyList<OptionSpec> Options { get; }

    public ParsedOptions Parse(IReadOnlyList<string> args)
    {
        var sources = new List<string>();
        var tokens = new List<(string Token, string Source)>();
        var start = 0;
        if (args.Count > 0 && args[0].Length > 0 && args[0][0] != '-')
        {
            var path = args[0];
            foreach (var token in ReadConfigFile(path))
            {
                tokens.Add((token, path));
            }

            sources.Add(path);
            start = 1;
        }

        for (var i = start; i < args.Count; i++)
        {
            tokens.Add((args[i], "command line"));
        }

        sources.Add("command line");
        var parsed = new ParsedOptions { Sources = sources };
        for (var i = 0; i < tokens.Count; i++)
        {
            var (token, source) = tokens[i];
            string? value = null;
            OptionSpec spec;
            if (token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2)
            {
                var body = token[2..];
                var eq = body.IndexOf('=', StringComparison.Ordinal);
                var name = eq >= 0 ? body[..eq] : body;
                if (eq >= 0)
                {
                    value = body[(eq + 1)..];
                }

                if (!_byLong.TryGetValue(name, out spec!))
                {
                    throw new CommandLineException($"unknown option --{name} ({source}); see --help");
                }
            }
            else if (token.Length >= 2 && token[0] == '-' && token[1] != '-')
            {
                if (!_byShort.TryGetValue(token[1], out spec!))
                {
                    throw new CommandLineException($"unknown option -{token[1]} ({source}); see --help");
                }

                if (token.Length > 2)
                {
                    if (!spec.TakesValue && !spec.ValueOptional)
                    {
                        throw new CommandLineException($"option -{token[1]} takes no value but got '{token[2..]}' ({source})");
                    }

                    value = token[2] == '=' ? token[3..] : token[2..];
                }
            }
            else
            {
                throw new CommandLineException($"unexpected argument '{token}' ({source}); options start with - or --");
            }

            if (spec.TakesValue && value is null)
            {
                if (i + 1 >= tokens.Count)
                {
                    throw new CommandLineException($"option {Display(spec)} needs a value ({spec.ValueName})");
                }

                value = tokens[++i].Token;
            }
            else if (!spec.TakesValue && value is not null && !spec.ValueOptional)
            {
                throw new CommandLineException($"option {Display(spec)} takes no value but got '{value}' ({source})");
            }

            value ??= string.Empty;
            if (spec.Repeatable)
            {
                parsed.Add(spec.LongName, value);
            }
            else
            {
                parsed.Set(spec.LongName, value);
            }
        }

        return parsed;
    }

    /// <summary>The <c>--help</c> text: every option with its value, default and meaning.</summary>
    public string Help()
    {
        var sb = new StringBuilder();
        sb.Append("Usage: ").Append(Program).Append(" [config-file] [options]\n").Append(Summary).Append("\n\nOptions:\n");
        foreach (var o in Options.Where(o => !o.Hidden))
        {
            var flag = (o.ShortName is { } s ? $"-{s}, " : "    ") + "--" + o.LongName + (o.TakesValue ? $" <{o.ValueName}>" : string.Empty);
            sb.Append("  ").Append(flag.PadRight(40));
            if (flag.Length > 40)
            {
                sb.Append('\n').Append(new string(' ', 42));
            }

            sb.Append(o.Help);
            if (o.Default is not null)
            {
                sb.Append(" [default: ").Append(o.Default).Append(']');
            }

            if (o.Repeatable)
            {
                sb.Append(" (repeatable)");
            }

            sb.Append('\n');
        }

        sb.Append("\nA config file holds one option per line (e.g. --zmq=tcp://*:5556 or -i=eth1); '#' starts a comment.\n");
        return sb.ToString();
    }

    /// <summary>Reads a config file as ntopng does: trim whitespace and quotes, skip short and '#' lines, one option per line.</summary>
    public static IEnumerable<string> ReadConfigFile(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandLineException($"cannot read config file {path}: {e.Message}");
        }

        var tokens = new List<string>();
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim().Trim('"', '\'').Trim();
            if (line.Length < 2 || line[0] == '#')
            {
                continue;
            }

            if (line[0] != '-')
            {
                throw new CommandLineException($"{path}:{n + 1}: expected an option like --name=value, got '{line}'");
            }

            // "--name=value", "--name value", "-x=value", "-x value" or a bare flag.
            var space = line.IndexOfAny([' ', '\t']);
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (space > 0 && (eq < 0 || space < eq))
            {
                tokens.Add(line[..space]);
                tokens.Add(line[(space + 1)..].Trim().Trim('"', '\''));
            }
            else if (eq > 0)
            {
                // The value may be quoted on its own ("--zmq=\"tcp://*:5556\""), as nProbe and ntopng config files write it.
                tokens.Add(line[..(eq + 1)] + line[(eq + 1)..].Trim().Trim('"', '\''));
            }
            else
            {
                tokens.Add(line);
            }
        }

        return tokens;
    }

    private static string Display(OptionSpec spec) => spec.ShortName is { } s ? $"-{s}/--{spec.LongName}" : $"--{spec.LongName}";
}
