UPDATE public.customers SET email = 'masked-' || id || '@example.invalid', full_name = 'Masked';
