Console.WriteLine("SupportTicket.Bench: not implemented yet (issue 7).");
return 1;
