"""Handover bundles (BagIt) for asset managers and the 城建档案馆: build, inventories, verification."""
