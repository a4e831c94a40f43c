"""clonaguard: the Klonopin (clonazepam) leaflet as executable, cited rules."""
