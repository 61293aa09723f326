-- Orders already waiting for a capture when the capture worker arrived (V43) stay with support, who moved
-- them by hand until now: the worker never claims them, so none is captured or cancelled unannounced.
update orders set capture_next_at = 'infinity' where status = 'placed' and payment_status = 'authorised';
