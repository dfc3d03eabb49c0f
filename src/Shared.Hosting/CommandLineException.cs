namespace Flowhive.Hosting;

/// <summary>A bad flag or value: the message is the one line printed before exiting with status 2.</summary>
public sealed class CommandLineException(string message) : Exception(message);
