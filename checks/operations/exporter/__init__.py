"""`datis-audit exporter`: a Prometheus multi-target exporter for the appliances of an inventory.

Prometheus asks `/probe?target=ID`; the exporter audits that appliance (as `fleet` would) and
answers its metrics (checks/reports/prometheus.py). `prober` decides when an appliance may be
contacted (inventory only, one audit at a time, cache, pause after a refused password, a bound
on audits in flight); `server` is the HTTP face over it.
"""
