Console.Error.WriteLine("not yet");
return 1;
