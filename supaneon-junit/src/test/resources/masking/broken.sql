UPDATE public.no_such_table SET x = 1;
