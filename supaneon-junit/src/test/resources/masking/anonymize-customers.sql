-- Production e-mail addresses and names never reach a test.
UPDATE public.customers
SET email = 'customer-' || id || '@example.invalid',
    full_name = 'Customer ' || id;
